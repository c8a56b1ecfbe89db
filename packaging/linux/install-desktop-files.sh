#!/bin/sh
# Put reluviz in a Linux desktop's menus: the .desktop file, the icon in every size, the AppStream
# metainfo and the .reluviz MIME type, for the current user (XDG_DATA_HOME, default ~/.local/share).
#
#   packaging/linux/install-desktop-files.sh [COMMAND]
#
# COMMAND is what the menu entry runs (default: `reluviz` on PATH, or the bundle's own `reluviz`
# when this script sits in a bundle's folder). Run it again after moving the bundle.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ -d "$here/_internal/resources" ]; then          # inside a PyInstaller bundle
    resources=$here/_internal/resources
    command=${1:-$here/reluviz}
else                                                  # packaging/linux/ in a checkout
    resources=${RELUVIZ_RESOURCES:-$here/../../resources}
    command=${1:-reluviz}
fi
app_id=io.github.reluviz.reluviz
data=${XDG_DATA_HOME:-$HOME/.local/share}

mkdir -p "$data/applications" "$data/metainfo" "$data/mime/packages"
# Exec and TryExec name the command; a path with spaces is quoted as the Desktop Entry spec says.
sed -e "s|^Exec=reluviz |Exec=\"$command\" |" -e "s|^TryExec=reluviz\$|TryExec=$command|" \
    "$resources/desktop/$app_id.desktop" > "$data/applications/$app_id.desktop"
cp "$resources/desktop/$app_id.metainfo.xml" "$data/metainfo/"
cp "$resources/desktop/$app_id.mime.xml" "$data/mime/packages/$app_id.xml"
for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "$data/icons/hicolor/${size}x${size}/apps"
    cp "$resources/icons/reluviz-$size.png" "$data/icons/hicolor/${size}x${size}/apps/$app_id.png"
done
mkdir -p "$data/icons/hicolor/scalable/apps"
cp "$resources/icons/reluviz.svg" "$data/icons/hicolor/scalable/apps/$app_id.svg"

# Refresh the caches where the tools exist (a desktop without them reads the files directly).
if command -v update-mime-database >/dev/null 2>&1; then update-mime-database "$data/mime"; fi
if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database "$data/applications"; fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then gtk-update-icon-cache -q -t "$data/icons/hicolor" || true; fi
echo "installed reluviz's menu entry, icon and .reluviz file type under $data"
