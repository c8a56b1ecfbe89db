"""packaging/README.md's bundle steps build a PyInstaller bundle that runs on its own.

The build takes about a minute of CPU; it runs in the default suite (slow-marked) so CI proves the
bundle on every run. The bundle is then run with no PYTHONPATH and no source checkout beside it:
its ``--self-test`` (window offscreen, an edit, a PNG and an MP4 through the bundled ffmpeg,
versions, OK), a README export command, and a CLI error.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .test_readme_commands import fresh_checkout

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    if importlib.util.find_spec("PyInstaller") is None:
        if IN_CI:
            pytest.fail("PyInstaller is not installed; it is in the test extra (pip install -e '.[test]')")
        pytest.skip("PyInstaller is not installed (pip install -e '.[bundle]')")
    checkout = fresh_checkout(tmp_path_factory.mktemp("checkout"))
    # packaging/README.md's build command, run from the repository root as it says.
    build = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "packaging/reluviz.spec"],
                           cwd=checkout, capture_output=True, text=True, timeout=1800)
    assert build.returncode == 0, build.stderr[-4000:]
    folder = checkout / "dist" / "reluviz"
    # Move the bundle away from the checkout: it must not find sources or resources beside it.
    moved = tmp_path_factory.mktemp("installed") / "reluviz"
    folder.rename(moved)
    return moved


def run_bundle(bundle: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "RELUVIZ_RESOURCES", "DISPLAY",
                                                             "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    exe = bundle / ("reluviz.exe" if sys.platform == "win32" else "reluviz")
    return subprocess.run([str(exe), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_the_bundle_passes_its_self_test(bundle, tmp_path):
    result = run_bundle(bundle, "--self-test", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "OK"
    assert str(bundle) in lines[0]  # resources came from the bundle, not a checkout
    for name in ("Python", "Qt", "PySide6", "NumPy"):
        assert any(line.startswith(f"{name} ") for line in lines), name
    assert any(line.startswith("export: self-test.mp4") for line in lines), "MP4 is not offered by the bundle"


@pytest.mark.slow
def test_the_bundle_exports_and_refuses_bad_flags_in_one_line(bundle, tmp_path):
    result = run_bundle(bundle, "export", "--view", "drelu", "--caption", "code", "--theme", "dark",
                        "-o", "drelu.svg", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "drelu.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    version = run_bundle(bundle, "--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("reluviz ")
    bad = run_bundle(bundle, "export", "--size", "huge", "-o", "x.png", cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


@pytest.mark.slow
def test_the_bundle_ships_the_licences_of_what_it_carries(bundle):
    licences = bundle / "licenses"
    assert "MIT License" in (licences / "reluviz-LICENSE.txt").read_text(encoding="utf-8")
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (licences / "LGPL-3.0.txt").read_text(encoding="utf-8")
    assert "GNU GENERAL PUBLIC LICENSE" in (licences / "GPL-3.0.txt").read_text(encoding="utf-8")
    assert "GNU General Public License" in (licences / "ffmpeg-license.txt").read_text(encoding="utf-8")
    for dist in ("numpy", "pyqtgraph", "Pillow", "imageio-ffmpeg"):
        assert any((licences / dist).rglob("*")), f"no licence for {dist}"
