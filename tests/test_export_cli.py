"""``reluviz export`` in a subprocess: writes what it says, refuses bad input in one line."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image


def run_export(*args: str, display: bool = False) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    return subprocess.run([sys.executable, "-m", "reluviz", "export", *args], capture_output=True, text=True,
                          env=env, timeout=300)


def test_help_lists_everything_and_imports_no_qt():
    code = ("import sys\nfrom reluviz.cli import main\n"
            "try:\n    main(['export', '--help'])\nexcept SystemExit:\n    pass\n"
            "print('QT', sorted(m for m in sys.modules if m.startswith('PySide6')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("QT []")
    for flag in ("--preset", "--z", "--dvalues", "--view", "--frame", "--size", "--scale", "--theme", "--fps",
                 "--caption", "--transparent", "-o", "examples:", ".webp", ".mp4"):
        assert flag in result.stdout


@pytest.mark.slow
def test_png_svg_pdf_without_a_display(tmp_path):
    png = tmp_path / "book.png"
    result = run_export("--size", "1280x720", "--caption", "code", "-o", str(png))
    assert result.returncode == 0, result.stderr
    assert str(png) in result.stdout
    with Image.open(png) as image:
        assert image.size == (1280, 720)

    svg = tmp_path / "mask.svg"
    result = run_export("--preset", "all-blocked", "--view", "mask", "--theme", "dark", "-o", str(svg))
    assert result.returncode == 0, result.stderr
    texts = {e.text for e in ET.parse(svg).getroot().iter() if e.tag.endswith("text")}
    assert "mask = z <= 0" in texts

    pdf = tmp_path / "net.pdf"
    result = run_export("--view", "network", "--frame", "3", "--caption", "step", "--scale", "1", "-o", str(pdf))
    assert result.returncode == 0, result.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and str(pdf) in result.stdout


@pytest.mark.slow
def test_files_and_animation(tmp_path):
    z = np.array([[1.0, -2.0], [0.0, 3.0]])
    np.save(tmp_path / "z.npy", z)
    np.savetxt(tmp_path / "d.csv", np.ones((2, 2)), delimiter=",")
    out = tmp_path / "drelu.png"
    result = run_export("--z", str(tmp_path / "z.npy"), "--dvalues", str(tmp_path / "d.csv"), "--view", "drelu",
                        "--scale", "0.5", "-o", str(out))
    assert result.returncode == 0, result.stderr
    with Image.open(out) as image:
        assert image.size == (640, 360)

    gif = tmp_path / "anim.gif"
    result = run_export("--view", "network", "--fps", "4", "--size", "320x180", "-o", str(gif))
    assert result.returncode == 0, result.stderr
    with Image.open(gif) as image:
        assert image.size == (320, 180) and image.n_frames >= 2


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--preset", "nope"], "unknown preset"),
        (["--z", "{tmp}/missing.npy", "--dvalues", "{tmp}/missing.npy"], "missing.npy"),
        (["--z", "{tmp}/bad.npy", "--dvalues", "{tmp}/bad.npy"], "bad.npy"),
        (["--z", "{tmp}/z.npy", "--dvalues", "{tmp}/wide.npy"], "same shape"),
        (["--z", "{tmp}/z.npy"], "go together"),
        (["--size", "big"], "WIDTHxHEIGHT"),
        (["--size", "10x10"], "out of range"),
        (["--view", "network", "--frame", "999"], "--frame 999"),
    ],
)
def test_bad_input_is_one_line_without_traceback(tmp_path, args, words):
    np.save(tmp_path / "z.npy", np.zeros((2, 3)))
    np.save(tmp_path / "wide.npy", np.zeros((2, 4)))
    (tmp_path / "bad.npy").write_bytes(b"not a numpy file at all")
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = run_export(*args, "-o", str(tmp_path / "out.png"))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], result.stderr
    assert not (tmp_path / "out.png").exists()


@pytest.mark.parametrize(
    ("output", "extra", "words"),
    [
        ("out.bmp", [], ".png, .svg"),
        ("no/such/folder/out.png", [], "does not exist"),
        ("out.gif", [], "--view network"),
        ("folder.png", [], "it is a folder"),
        ("out.png", ["--view", "network", "--fps", "0"], "--fps"),
    ],
)
def test_bad_output_is_refused_before_qt(tmp_path, output, extra, words, capsys):
    from reluviz.export_cli import main

    (tmp_path / "folder.png").mkdir()
    assert main([*extra, "-o", str(tmp_path / output)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0]


@pytest.mark.skipif(os.name == "nt" or (hasattr(os, "geteuid") and os.geteuid() == 0),
                    reason="root can write anywhere")
def test_unwritable_folder(tmp_path, capsys):
    from reluviz.export_cli import main

    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert main(["-o", str(locked / "out.png")]) == 2
    finally:
        locked.chmod(0o700)
    assert "permission denied" in capsys.readouterr().err
