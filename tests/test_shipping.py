"""What ships: licence and metadata, icons rendered from their SVG, desktop files that validate,
``reluviz FILE``, ``reluviz --self-test``, and README's quick start matching the app's."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import numpy as np
import pytest

import reluviz

ROOT = Path(reluviz.__file__).resolve().parent.parent
DESKTOP = ROOT / "resources" / "desktop"
ICONS = ROOT / "resources" / "icons"
EXAMPLES = ROOT / "resources" / "examples"
APP_ID = "io.github.reluviz.reluviz"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def need(tool: str) -> str:
    """The path of a command-line tool; a missing tool fails in CI (.ci/run installs it) and skips elsewhere."""
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is not installed (Debian: desktop-file-utils, appstream, shared-mime-info)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def make_resources():
    spec = importlib.util.spec_from_file_location("make_resources", ROOT / "packaging" / "make_resources.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- licence and metadata --------------------------------------------------------------------------

def test_the_licence_text_matches_the_declared_spdx_licence():
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text
    assert not any(c.startswith("License ::") for c in project["classifiers"])  # SPDX replaces them
    assert "## [Unreleased]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_wheel_carries_the_licence_metadata_icons_examples_and_desktop_files(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info",
                                                                "__pycache__", ".hypothesis"))
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp_path / "wheel"), str(source)], capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "wheel").glob("reluviz-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (metadata_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = archive.read(metadata_name).decode()
    assert "License-Expression: MIT" in metadata and "License-File: LICENSE" in metadata
    assert "Classifier: Intended Audience :: Education" in metadata
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    for shipped in ("icons/reluviz.svg", "icons/reluviz-256.png", "icons/reluviz.ico", "examples/lesson.reluviz",
                    "examples/z.npy", "examples/dvalues.csv", f"desktop/{APP_ID}.desktop",
                    f"desktop/{APP_ID}.metainfo.xml", f"desktop/{APP_ID}.mime.xml"):
        assert f"reluviz/resources/{shipped}" in names, shipped


# -- icons -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [16, 32, 48, 256, 512])
def test_each_png_icon_is_the_svg_rendered_at_its_size(qapp, size):
    from PySide6.QtGui import QImage

    rendered = QImage.fromData(make_resources().render_icon_png(ICONS / "reluviz.svg", size))
    committed = QImage(str(ICONS / f"reluviz-{size}.png"))
    assert (committed.width(), committed.height()) == (size, size)
    worst = max(abs(a - b) for x in range(size) for y in range(size)
                for a, b in zip(rendered.pixelColor(x, y).getRgb(), committed.pixelColor(x, y).getRgb(), strict=True))
    assert worst <= 8, "the PNGs are stale: run packaging/make_resources.py after editing reluviz.svg"


def test_the_windows_and_macos_icons_hold_the_rendered_pngs():
    ico = (ICONS / "reluviz.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    assert (reserved, kind) == (0, 1)
    sides = [ico[6 + 16 * i] or 256 for i in range(count)]
    assert sides == [16, 24, 32, 48, 64, 128, 256]
    icns = (ICONS / "reluviz.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    assert (ICONS / "reluviz-512.png").read_bytes() in icns


def test_the_app_icon_offers_every_size(qapp):
    from reluviz.ui.app_identity import ICON_SIZES, app_icon

    icon = app_icon()
    assert sorted(s.width() for s in icon.availableSizes()) == sorted(ICON_SIZES)


# -- desktop files ---------------------------------------------------------------------------------

def test_the_desktop_file_validates_and_names_the_app_id_and_the_session_type():
    result = subprocess.run([need("desktop-file-validate"), str(DESKTOP / f"{APP_ID}.desktop")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "error" not in result.stdout, result.stdout
    entry = dict(line.split("=", 1) for line in (DESKTOP / f"{APP_ID}.desktop").read_text().splitlines() if "=" in line)
    assert entry["Icon"] == APP_ID and entry["Exec"] == "reluviz %f"
    assert "application/x-reluviz-session" in entry["MimeType"].split(";")


def test_the_appstream_metainfo_validates():
    result = subprocess.run([need("appstreamcli"), "validate", "--no-net", str(DESKTOP / f"{APP_ID}.metainfo.xml")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    root = ET.parse(DESKTOP / f"{APP_ID}.metainfo.xml").getroot()
    assert root.findtext("id") == APP_ID and root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.findtext("project_license") == "MIT"
    assert root.find("releases/release").get("version") == reluviz.__version__


def test_the_install_script_registers_the_menu_entry_icon_and_reluviz_mime_type(tmp_path):
    need("update-mime-database")
    result = subprocess.run(["sh", str(ROOT / "packaging" / "linux" / "install-desktop-files.sh"),
                             "/opt/my apps/reluviz/reluviz"], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "XDG_DATA_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    desktop = tmp_path / "applications" / f"{APP_ID}.desktop"
    assert 'Exec="/opt/my apps/reluviz/reluviz" %f' in desktop.read_text()
    assert (tmp_path / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png").is_file()
    assert "application/x-reluviz-session:*.reluviz" in (tmp_path / "mime" / "globs2").read_text()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True, timeout=60)
        assert check.returncode == 0, check.stdout


# -- reluviz FILE ----------------------------------------------------------------------------------

@pytest.fixture
def opened(monkeypatch):
    """Run ``reluviz.cli.main`` with the window replaced by a recorder of what it would open."""
    import reluviz.ui.app

    calls = []
    monkeypatch.setattr(reluviz.ui.app, "run_app", lambda *args, **kwargs: calls.append((args, kwargs)) or 0)
    return calls


def test_a_positional_session_opens_it(opened):
    from reluviz.cli import main

    lesson = EXAMPLES / "lesson.reluviz"
    assert main([str(lesson)]) == 0
    (_args, kwargs), = opened
    assert kwargs["session_path"] == lesson
    assert np.array_equal(kwargs["session"].z, np.load(EXAMPLES / "z.npy"))
    assert kwargs["session"].network.preset == "dead"


def test_a_positional_array_opens_as_z_with_dvalues_all_ones(opened):
    from reluviz.cli import main

    assert main([str(EXAMPLES / "dvalues.csv")]) == 0
    (args, _kwargs), = opened
    z, dvalues = args
    assert z.shape == (6, 8) and np.array_equal(dvalues, np.ones((6, 8)))


def test_a_positional_file_with_array_flags_is_refused_in_one_line(opened, capsys):
    from reluviz.cli import main

    assert main([str(EXAMPLES / "lesson.reluviz"), "--session", str(EXAMPLES / "lesson.reluviz")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not both" in err and not opened


def test_a_positional_file_that_is_not_there_is_refused_in_one_line(opened, capsys, tmp_path):
    from reluviz.cli import main

    assert main([str(tmp_path / "missing.reluviz")]) == 2
    assert main([str(tmp_path / "missing.npy")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and "Traceback" not in err and not opened


@pytest.mark.slow
def test_reluviz_file_opens_the_window_with_the_session_icon_and_desktop_name():
    code = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "def check():\n"
        "    (w,) = [w for w in app.topLevelWidgets() if type(w).__name__ == 'MainWindow']\n"
        "    print(w.model.z[0].tolist(), app.desktopFileName(), len(app.windowIcon().availableSizes()))\n"
        "    w.undo_stack.setClean(); app.quit()\n"
        "QTimer.singleShot(0, check)\n"
        "from reluviz.cli import main\n"
        f"sys.exit(main([{str(EXAMPLES / 'lesson.reluviz')!r}]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == [APP_ID, "8"]
    assert str(np.load(EXAMPLES / "z.npy")[0].tolist()) in result.stdout


# -- reluviz --self-test ---------------------------------------------------------------------------

def self_test(**env_extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reluviz", "--self-test"], capture_output=True, text=True,
                          timeout=300, env={**os.environ, **env_extra})


@pytest.mark.slow
def test_self_test_edits_exports_prints_versions_and_ok():
    import PySide6
    from PySide6.QtCore import qVersion

    result = self_test()
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "OK"
    for line in (f"Qt {qVersion()}", f"PySide6 {PySide6.__version__}", f"NumPy {np.__version__}"):
        assert line in lines
    assert any(line.startswith("Python ") for line in lines)
    assert any("drelu[0, 0] = 0" in line for line in lines)
    assert any(line.startswith("export: self-test.png 1280×720") for line in lines)


@pytest.mark.slow
def test_self_test_fails_in_one_line_when_the_icons_are_missing(tmp_path):
    broken = tmp_path / "resources"
    shutil.copytree(ROOT / "resources", broken, ignore=shutil.ignore_patterns("icons"))
    result = self_test(RELUVIZ_RESOURCES=str(broken))
    assert result.returncode == 1 and "OK" not in result.stdout.splitlines()
    (failure,) = [line for line in result.stderr.splitlines() if line.startswith("self-test FAILED")]
    assert "icon" in failure


# -- README ----------------------------------------------------------------------------------------

def test_the_readme_quick_start_is_the_apps_quick_start():
    from reluviz.ui.help import QUICKSTART_COMMAND, QUICKSTART_STEPS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"## Make a slide in 60 seconds\n(.*?)\n## ", readme, flags=re.DOTALL)
    assert section, "README has no 'Make a slide in 60 seconds' section"
    numbered = re.findall(r"^\d+\. (.*)$", section[1], flags=re.MULTILINE)
    assert numbered == list(QUICKSTART_STEPS)
    assert QUICKSTART_COMMAND in section[1]
    assert readme.index("## Make a slide in 60 seconds") < readme.index("## Run it")
