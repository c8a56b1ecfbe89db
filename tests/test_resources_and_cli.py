"""Resources are found from a checkout, a wheel and a bundle; the CLI starts light and right."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import reluviz
from reluviz.resources_path import resources_dir

ROOT = Path(reluviz.__file__).resolve().parent.parent


def run_python(code: str, **env_extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env_extra}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=300)


def test_resources_from_the_source_checkout():
    assert resources_dir() == ROOT / "resources"
    assert (resources_dir() / "fonts" / "DejaVuSans.ttf").stat().st_size > 100_000


@pytest.mark.slow
def test_resources_from_an_installed_wheel(tmp_path):
    wheel_dir = tmp_path / "wheel"
    # Build from a copy: setuptools writes build/ and *.egg-info next to the sources.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info",
                                                                "__pycache__", ".hypothesis"))
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "-q", "-w", str(wheel_dir), str(source)], capture_output=True, text=True,
                           timeout=300)
    assert build.returncode == 0, build.stderr
    (wheel,) = wheel_dir.glob("reluviz-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "reluviz/resources/fonts/DejaVuSans.ttf" in names
        archive.extractall(site)
    result = subprocess.run(
        [sys.executable, "-c", "from reluviz.resources_path import resources_dir; print(resources_dir())"],
        capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(site)},
        timeout=120)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == site / "reluviz" / "resources"


def test_resources_from_a_frozen_bundle(tmp_path):
    bundle = tmp_path / "bundle"
    shutil.copytree(ROOT / "resources", bundle / "resources")
    code = (
        f"import sys; sys.frozen = True; sys._MEIPASS = {str(bundle)!r}\n"
        "import reluviz.resources_path as r; print(r.resources_dir())"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == bundle / "resources"


def test_version_is_fast_and_imports_no_qt():
    code = ("import sys; from reluviz.cli import main\n"
            "try:\n    main(['--version'])\nexcept SystemExit as e:\n    code = e.code\n"
            "print([m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))], code)")
    result = run_python(code)
    assert result.stdout.strip() == f"reluviz {reluviz.__version__}\n[] 0".replace("\\n", "\n")


def test_python_dash_m_version():
    result = subprocess.run([sys.executable, "-m", "reluviz", "--version"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == f"reluviz {reluviz.__version__}"


def test_cli_refuses_one_array_without_the_other(tmp_path):
    result = run_python("from reluviz.cli import main; raise SystemExit(main(['--z', 'a.npy']))")
    assert result.returncode == 2 and "go together" in result.stderr


@pytest.mark.slow
def test_main_opens_the_window_on_the_book_example_in_a_subprocess():
    code = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "def check():\n"
        "    windows = [w for w in app.topLevelWidgets() if w.objectName() == '' and w.isVisible()\n"
        "               and type(w).__name__ == 'MainWindow']\n"
        "    w = windows[0]\n"
        "    print(w.model.drelu.tolist(), w.status_label.text())\n"
        "    app.quit()\n"
        "QTimer.singleShot(0, check)\n"
        "from reluviz.cli import main\n"
        "sys.exit(main([]))\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert "[[1.0, 2.0, 0.0, 0.0], [5.0, 0.0, 0.0, 8.0], [0.0, 10.0, 11.0, 0.0]]" in result.stdout


def test_cli_refuses_a_bad_session_file_with_one_line(tmp_path):
    bad = tmp_path / "bad.reluviz"
    bad.write_bytes(b"not a zip")
    result = run_python(f"from reluviz.cli import main; raise SystemExit(main(['--session', {str(bad)!r}]))")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr


def test_cli_refuses_mismatched_array_files(tmp_path):
    import numpy as np

    np.save(tmp_path / "z.npy", np.zeros((2, 3)))
    np.save(tmp_path / "d.npy", np.zeros((3, 2)))
    result = run_python("from reluviz.cli import main; raise SystemExit(main(['--z', 'z.npy', '--dvalues', 'd.npy']))"
                        .replace("z.npy", str(tmp_path / "z.npy")).replace("d.npy", str(tmp_path / "d.npy")))
    assert result.returncode == 2 and "same shape" in result.stderr and "Traceback" not in result.stderr


def test_without_a_display_the_app_says_so_in_one_line_and_exits_2():
    """Qt would abort (exit 134, 'could not connect to display'): the check comes before QApplication."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    code = ("import sys\nfrom reluviz.cli import main\ncode = main([])\n"
            "print('QT', sorted(m for m in sys.modules if m.startswith('PySide6.QtWidgets')))\nsys.exit(code)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    if sys.platform in ("win32", "darwin"):
        pytest.skip("Windows and macOS always have a display")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reluviz: no display to open a window on"), result.stderr
    assert "QT []" in result.stdout  # refused before Qt was even imported


@pytest.mark.parametrize("platform", ["offscreen", "minimal"])
def test_headless_qt_platforms_need_no_display(monkeypatch, platform):
    from reluviz.cli import display_problem

    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", platform)
    assert display_problem() is None
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert (display_problem() is None) == (sys.platform in ("win32", "darwin"))
    monkeypatch.setenv("DISPLAY", ":0")
    assert display_problem() is None


@pytest.mark.skipif(os.name == "nt", reason="Ctrl+C is a console event on Windows, not a signal")
def test_ctrl_c_in_the_terminal_quits_the_app():
    """SIGINT while Qt's loop waits: without the wake-up timer Python never runs the handler."""
    code = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "QTimer.singleShot(0, lambda: print('running', flush=True))\n"
        "from reluviz.cli import main\n"
        "sys.exit(main([]))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, env=env) as child:
        try:
            assert child.stdout.readline().strip() == "running"  # Qt's loop is now idle, waiting for events
            child.send_signal(signal.SIGINT)
            returncode = child.wait(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
        errors = child.stderr.read()
    assert returncode == 130, errors
    assert "Traceback" not in errors


def test_cli_hands_loaded_arrays_to_the_window_without_a_copy(tmp_path, monkeypatch):
    # Arrays loaded with --z/--dvalues are the window's alone: holding a second copy doubled the
    # memory of a 4096² pair (benchmarks/bench_startup.py measures the peak).
    import numpy as np

    import reluviz.ui.app
    from reluviz.cli import main
    from reluviz.core.explorer import ExplorerModel

    np.save(tmp_path / "z.npy", np.arange(12.0).reshape(3, 4) - 5)
    np.save(tmp_path / "d.npy", np.ones((3, 4)))
    models = []

    def run_app(z, dvalues, *, take_ownership=False, **_kwargs):
        models.append((ExplorerModel(z, dvalues, take_ownership=take_ownership), z, dvalues))
        return 0

    monkeypatch.setattr(reluviz.ui.app, "run_app", run_app)
    assert main(["--z", str(tmp_path / "z.npy"), "--dvalues", str(tmp_path / "d.npy")]) == 0
    model, z, dvalues = models[0]
    assert model.z is z and model.dvalues is dvalues
    model.set_value("z", 0, 0, np.float64(9.0))  # edits write into the one copy there is
    assert z[0, 0] == 9.0
