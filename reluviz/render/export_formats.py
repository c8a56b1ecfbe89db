"""What an export may be — its formats and its size in pixels — without importing Qt.

``reluviz export`` checks its flags against these before it starts Qt (so bad input is refused
fast and without a display); the figures, the writers, the export dialog and :func:`reluviz.export`
use the same names. The sizes are *pixels*: the largest array is
:data:`reluviz.core.io.limits.MAX_SIDE` *cells* a side, a different limit.
"""

from __future__ import annotations

import importlib.util

__all__ = [
    "ANIMATION_SUFFIXES",
    "BASE_SIZE",
    "IMAGE_SUFFIXES",
    "MAX_EXPORT_PX",
    "MIN_EXPORT_PX",
    "MP4_UNAVAILABLE",
    "SIZE_PRESETS",
    "mp4_available",
]

# A figure of this size is drawn with theme scale 1; 1920×1080 gets 1.5 (text readable on a slide).
# ``reluviz export --scale F`` multiplies it.
BASE_SIZE = (1280, 720)
SIZE_PRESETS: dict[str, tuple[int, int]] = {
    "1920×1080 (Full HD)": (1920, 1080),
    "1280×720 (HD)": (1280, 720),
    "3840×2160 (4K)": (3840, 2160),
}
# Each side of an exported picture or animation, in pixels.
MIN_EXPORT_PX, MAX_EXPORT_PX = 64, 8192

IMAGE_SUFFIXES = (".png", ".svg", ".pdf")
ANIMATION_SUFFIXES = (".gif", ".webp", ".mp4")
MP4_UNAVAILABLE = ("MP4 export needs the optional package imageio-ffmpeg (pip install imageio-ffmpeg); "
                   "GIF and WebP work without it.")


def mp4_available() -> bool:
    """True if the optional ``imageio-ffmpeg`` (an ffmpeg binary) is installed.

    Looked up without importing it, so asking costs no start-up time.
    """
    try:
        return importlib.util.find_spec("imageio_ffmpeg") is not None
    except (ImportError, ValueError):
        return False
