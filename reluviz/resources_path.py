"""Find the top-level ``resources/`` folder the same way in every kind of install.

Three layouts exist:

* a **source checkout** (or an editable install): ``<repo>/resources`` beside the package;
* an **installed wheel**: the folder ships as the package ``reluviz.resources``;
* a **PyInstaller bundle**: the spec in ``packaging/`` copies it to ``<bundle>/resources``.

``RELUVIZ_RESOURCES`` overrides all three (useful for packagers and tests).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

__all__ = ["resource", "resources_dir"]

_MARKER = Path("fonts") / "DejaVuSans.ttf"


def _candidates() -> list[Path]:
    found: list[Path] = []
    override = os.environ.get("RELUVIZ_RESOURCES")
    if override:
        found.append(Path(override))
    bundle_root = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle_root:
        found.append(Path(bundle_root) / "resources")
    # Checked before the package so an editable install uses the live checkout files.
    found.append(Path(__file__).resolve().parent.parent / "resources")
    spec = importlib.util.find_spec("reluviz.resources")
    if spec is not None and spec.submodule_search_locations:
        found.extend(Path(p) for p in spec.submodule_search_locations)
    return found


def resources_dir() -> Path:
    """Return the folder holding reluviz's run-time resources.

    Returns
    -------
    pathlib.Path
        The first candidate folder that contains the shipped font.

    Raises
    ------
    FileNotFoundError
        If no candidate holds the resources (a broken install); the message lists where it looked.
    """
    candidates = _candidates()
    for folder in candidates:
        if (folder / _MARKER).is_file():
            return folder
    looked = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"reluviz resources not found (looked in: {looked})")


def resource(*parts: str) -> Path:
    """Return the path of one resource file, e.g. ``resource("fonts", "DejaVuSans.ttf")``."""
    return resources_dir().joinpath(*parts)
