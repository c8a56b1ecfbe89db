"""``reluviz export`` in a subprocess: writes what it says, refuses bad input in one line."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image


@pytest.fixture(autouse=True, scope="module")
def _widgets_application():
    """A QApplication before any in-process export: the export command would otherwise make a bare
    QGuiApplication, which pytest-qt's ``qapp`` (used by later test modules) refuses to share."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    return QGuiApplication.instance() or QApplication([])


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
                 "--caption", "--transparent", "-o", "examples:", ".webp", ".mp4", "--sample N|all",
                 "--network-preset", "count from 0"):
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
        ("out.png", ["--view", "network", "--transparent"], "--transparent applies to array exports only"),
        ("out.gif", ["--view", "network", "--transparent"], "--transparent applies to array exports only"),
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


def _network_timeline(tmp_path, *argv: str):
    from reluviz.export_cli import _check, _timeline, build_parser

    args = build_parser().parse_args([*argv, "-o", str(tmp_path / "out.png")])
    _check(args)
    return _timeline(args)


def test_network_presets_match_the_core():
    from reluviz.core.network import PRESETS
    from reluviz.export_cli import NETWORK_PRESETS

    assert NETWORK_PRESETS == tuple(PRESETS)


def test_network_export_opens_on_the_views_default_sample(tmp_path):
    """Not sample 0 (the origin, where every ReLU 1 gate is closed): the sample the app opens on."""
    from reluviz.core.network import NetworkRun
    from reluviz.core.network.timeline import default_sample

    timeline = _network_timeline(tmp_path, "--view", "network")
    rec = NetworkRun("default", seed=0).evaluate()
    assert timeline.frames[0].scene.sample == default_sample(rec) > 0
    relu1 = timeline.frames[1].scene.gates[0]  # ReLU 1 forward
    assert relu1.any() and not relu1.all()
    assert _network_timeline(tmp_path, "--view", "network", "--sample", "all").frames[0].scene.sample is None
    assert _network_timeline(tmp_path, "--view", "network", "--sample", " ALL ").frames[0].scene.sample is None
    seven = _network_timeline(tmp_path, "--view", "network", "--sample", "7")
    assert seven.frames[0].scene.sample == 7 and seven.frames[0].scene.shown.startswith("sample 7 (rows 0–299)")
    assert _network_timeline(tmp_path, "--view", "network", "--sample", "0").frames[0].scene.sample == 0
    dead = _network_timeline(tmp_path, "--view", "network", "--network-preset", "dead", "--sample", "all")
    assert dead.record.relu[0].dead_count == 1
    book = _network_timeline(tmp_path, "--view", "network", "--network-preset", "book")
    assert book.frames[0].scene.sizes == (2, 3, 3)
    assert book.record.loss == pytest.approx(1.0986104, abs=1e-6)
    same = _network_timeline(tmp_path, "--view", "network", "--preset", "dead", "--network-preset", "dead")
    assert same.record.relu[0].dead_count == 1


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--view", "network", "--sample", "300"], "--sample 300 is outside the batch: samples are 0 to 299"),
        (["--view", "network", "--sample", "-1"], "not a sample number"),
        (["--view", "network", "--sample", "1.5"], "not a sample number"),
        (["--view", "network", "--sample", "first"], "or 'all'"),
        (["--sample", "3"], "--sample is for the network; add --view network"),
        (["--network-preset", "dead"], "--network-preset is for the network"),
        (["--view", "network", "--network-preset", "nope"], "invalid choice"),
        (["--view", "network", "--preset", "book", "--network-preset", "dead"], "disagree"),
        (["--view", "network", "--network-preset", "dead", "--sample", "3", "--colormap", "rainbow"],
         "unknown colormap"),
    ],
)
def test_bad_sample_and_network_preset_are_one_line(tmp_path, capsys, args, words):
    from reluviz.export_cli import main

    assert main([*args, "-o", str(tmp_path / "out.png")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0], err
    assert not (tmp_path / "out.png").exists()


@pytest.mark.slow
def test_dark_network_with_a_colormap_without_a_display(tmp_path):
    out = tmp_path / "dead.png"
    result = run_export("--view", "network", "--network-preset", "dead", "--sample", "all", "--theme", "dark",
                        "--colormap", "purple-orange", "--frame", "2", "--size", "640x360", "-o", str(out))
    assert result.returncode == 0, result.stderr
    with Image.open(out) as image:
        assert image.size == (640, 360)
        assert image.convert("RGB").getpixel((2, 2)) == (0x1E, 0x1F, 0x22)  # reluviz.render.theme.DARK.background


def test_export_from_a_session_uses_its_arrays_switch_and_colormap(tmp_path):
    import numpy as np

    from reluviz.core.io.session import Session, save_session

    session_path = tmp_path / "lesson.reluviz"
    save_session(session_path, Session(z=np.array([[0.0, -1.0], [2.0, 0.0]]), dvalues=np.ones((2, 2)),
                                       inclusive=False, colormap="purple-orange"))
    out = tmp_path / "lesson.svg"
    result = subprocess.run([sys.executable, "-m", "reluviz", "export", "--session", str(session_path),
                             "--caption", "code", "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "mask = z &lt; 0" in text or "mask = z < 0" in text
    assert "drelu[z &lt; 0] = 0" in text or "drelu[z < 0] = 0" in text


def test_export_refuses_a_session_combined_with_arrays(tmp_path):
    result = subprocess.run([sys.executable, "-m", "reluviz", "export", "--session", "a.reluviz", "--preset", "book",
                             "-o", str(tmp_path / "x.png")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "--session" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(("extra", "fragment"), [(["--caption", "step"], "--view network"),
                                                 (["--fps", "12"], "--fps is for animations")])
def test_export_refuses_options_that_would_be_ignored(tmp_path, extra, fragment):
    result = subprocess.run([sys.executable, "-m", "reluviz", "export", *extra, "-o", str(tmp_path / "x.png")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and fragment in result.stderr and "Traceback" not in result.stderr


def test_presentation_style_draws_larger_text(tmp_path):
    heights = {}
    for flag in ([], ["--presentation"]):
        out = tmp_path / f"p{len(flag)}.png"
        result = subprocess.run([sys.executable, "-m", "reluviz", "export", *flag, "--caption", "code",
                                 "-o", str(out)], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        with Image.open(out) as image:
            grey = np.asarray(image.convert("L"))
        inked = np.nonzero((grey < 100).sum(axis=1) > 3)[0]
        # The first run of inked rows from the top is the panel titles' line ("z  3×4 · float64").
        first = inked[0]
        run_end = first
        while run_end + 1 in set(inked.tolist()):
            run_end += 1
        heights[bool(flag)] = int(run_end - first)
    assert heights[True] > 1.2 * heights[False]


def test_network_frames_into_a_folder_without_fps(tmp_path):
    folder = tmp_path / "frames"
    result = subprocess.run([sys.executable, "-m", "reluviz", "export", "--view", "network", "--size", "640x360",
                             "-o", str(folder)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert len(list(folder.glob("*.png"))) > 10


@pytest.mark.parametrize("extra", [["--frame", "3"], ["--view", "network", "--frame", "2", "-o", "x.gif"],
                                   ["--seed", "99999999999"]])
def test_options_that_would_be_ignored_or_overflow_are_refused(tmp_path, extra):
    args = [*extra] if "-o" in extra else [*extra, "-o", str(tmp_path / "x.png")]
    if "-o" in extra:
        args[args.index("-o") + 1] = str(tmp_path / "x.gif")
    result = subprocess.run([sys.executable, "-m", "reluviz", "export", *args], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_export_from_a_trained_session_shows_the_trained_network(tmp_path):
    from reluviz.core.io.session import NetworkConfig, Session, save_session

    outputs = []
    for rates in ([], [0.5, 0.5, 0.5]):
        path = tmp_path / f"s{len(rates)}.reluviz"
        save_session(path, Session(network=NetworkConfig(trained_learning_rates=rates, sample=7)))
        out = tmp_path / f"n{len(rates)}.png"
        result = subprocess.run([sys.executable, "-m", "reluviz", "export", "--session", str(path), "--view",
                                 "network", "--caption", "step", "-o", str(out)], capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] != outputs[1]


def test_export_of_a_session_shows_the_pass_and_sample_the_app_shows(tmp_path):
    """The command line reads the network document as the app does: the last Train step's pass
    (with its update) and the session's followed row, or the row the app opens on."""
    from reluviz.core.io.session import NetworkConfig, Session, save_session
    from reluviz.core.network.timeline import build_timeline
    from reluviz.core.network_document import NetworkDocument
    from reluviz.core.session_documents import apply_network_config

    for sample in (-1, 11):
        config = NetworkConfig(preset="dead", seed=2, batch_size=60, trained_learning_rates=[0.5, 0.25],
                               sample=sample)
        path = tmp_path / f"trained{sample}.reluviz"
        save_session(path, Session(network=config))
        app = NetworkDocument()
        assert apply_network_config(config, app) == []
        shown = build_timeline(app.pass_record, app.shown_sample)
        exported = _network_timeline(tmp_path, "--session", str(path), "--view", "network")
        assert exported.record.step == 1 and exported.record.learning_rate == 0.25  # the last Train step
        assert [f.text for f in exported.frames] == [f.text for f in shown.frames]
        assert exported.frames[0].scene.sample == app.shown_sample == (11 if sample == 11 else app.opening_sample)


def _svg_texts(path) -> list[str]:
    return [e.text for e in ET.parse(path).getroot().iter() if e.tag.endswith("text") and e.text]


# What each view must draw (panel titles) and must not (another panel's title), with a value
# only that view's array holds: the book's z has -7, its dvalues 12 (which drelu blocks: z is -1
# there), its mask True/False.
VIEW_CONTENT = {
    "arrays": ({"z", "dvalues", "mask = z <= 0", "drelu", "-7", "12", "True"}, set()),
    "z": ({"z", "-7"}, {"dvalues", "mask = z <= 0", "drelu", "12", "True"}),
    "dvalues": ({"dvalues", "12"}, {"z", "mask = z <= 0", "drelu", "-7", "True"}),
    "mask": ({"mask = z <= 0", "True", "False"}, {"z", "dvalues", "drelu", "-7", "12"}),
    "drelu": ({"drelu", "blocked", "11"}, {"z", "dvalues", "mask = z <= 0", "-7", "12", "True"}),
}


@pytest.mark.slow
@pytest.mark.parametrize("view", list(VIEW_CONTENT))
def test_each_view_draws_its_own_panels(tmp_path, view):
    """Sizes alone pass when --view is ignored: check the panels and values that were drawn."""
    out = tmp_path / f"{view}.svg"
    result = run_export("--view", view, "--size", "1280x720", "-o", str(out))
    assert result.returncode == 0, result.stderr
    texts = set(_svg_texts(out))
    present, absent = VIEW_CONTENT[view]
    assert present <= texts, present - texts
    assert not (absent & texts), absent & texts


@pytest.mark.slow
def test_single_panel_pngs_differ_per_view(tmp_path):
    """The same arrays, four single-panel PNGs: four different pictures (z's colours are not drelu's)."""
    pixels = {}
    for view in ("z", "dvalues", "mask", "drelu"):
        out = tmp_path / f"{view}.png"
        result = run_export("--view", view, "--size", "320x180", "-o", str(out))
        assert result.returncode == 0, result.stderr
        with Image.open(out) as image:
            pixels[view] = np.asarray(image.convert("RGB")).tobytes()
    assert len(set(pixels.values())) == 4


@pytest.mark.slow
def test_exported_session_widens_a_too_narrow_saved_range_like_the_app(tmp_path):
    """A saved range of 1e-300 would saturate every cell: the export widens it, as opening does."""
    from reluviz.core.colour import fit_range
    from reluviz.core.io.session import Session, save_session, widened_range
    from reluviz.core.presets import BOOK_DVALUES, BOOK_Z

    z, dvalues = np.array(BOOK_Z, dtype=float), np.array(BOOK_DVALUES, dtype=float)
    assert widened_range(1e-300, z) == fit_range(z) and widened_range(None, z) == fit_range(z)
    assert widened_range(1e6, z) == 1e6  # wider than the data: kept, as the user chose it
    outputs = {}
    for name, ranges in (("narrow", (1e-300, 1e-300)), ("fitted", (None, None))):
        path = tmp_path / f"{name}.reluviz"
        save_session(path, Session(z=z, dvalues=dvalues, z_range=ranges[0], grad_range=ranges[1]))
        out = tmp_path / f"{name}.png"
        result = run_export("--session", str(path), "--view", "dvalues", "--size", "640x360", "-o", str(out))
        assert result.returncode == 0, result.stderr
        outputs[name] = out
    with Image.open(outputs["narrow"]) as narrow, Image.open(outputs["fitted"]) as fitted:
        assert np.array_equal(np.asarray(narrow.convert("RGB")), np.asarray(fitted.convert("RGB")))


def test_a_read_only_output_file_is_refused_and_kept(tmp_path, capsys):
    from reluviz.export_cli import main

    out = tmp_path / "slide.png"
    out.write_bytes(b"the old slide")
    out.chmod(0o444)  # refused by its mode bits: CI runs as root, where a write would succeed
    assert main(["-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "the file is read-only" in err[0]
    assert out.read_bytes() == b"the old slide"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--view", "network", "--fps", "0.001", "-o", "{tmp}/a.gif"], "--fps 0.001 is outside the accepted range"),
        (["--view", "network", "--fps", "nan", "-o", "{tmp}/a.gif"], "--fps nan is outside"),
        (["--view", "network", "--fps", "61", "-o", "{tmp}/a.gif"], "0.5 to 60 frames per second"),
        (["--view", "network", "--sample", "\u0661", "-o", "{tmp}/a.png"], "is not a sample number"),
        (["--view", "network", "--sample", "\uff17", "-o", "{tmp}/a.png"], "is not a sample number"),
        (["--size", "\uff11\uff12\uff18x128", "-o", "{tmp}/a.png"], "is not WIDTHxHEIGHT"),
        (["-o", "{tmp}/a\x00b.png"], "the name holds a NUL character"),
        (["-o", "{tmp}/" + "x" * 300 + ".png"], "more than the 255 bytes a file name may have"),
    ],
)
def test_hostile_flags_are_one_line(tmp_path, capsys, args, words):
    from reluviz.export_cli import main

    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and words in err[0], err
    assert list(tmp_path.iterdir()) == []


FLAG_VALUES = {
    "--size": ["1920x1080", "0x0", "64x64", "8193x100", "１２８x１２８", "-5x5", "1e3x1e3", "x", ""],
    "--scale": ["nan", "inf", "-1", "0", "1e-300", "1e308", "99.9", "0.05", "1"],
    "--fps": ["nan", "inf", "0", "0.001", "0.5", "60", "61", "-1", "1e308"],
    "--seed": ["-1", "0", "2147483648", "99999999999999999999"],
    "--sample": ["٣", "3", "-0", "all", " ALL ", "1e3", "", "9" * 30],
    "--frame": ["0", "-1", "999999999999", "2"],
    "--view": ["network", "z", "drelu", "arrays"],
    "--caption": ["step", "code", "\x1b[2J", ""],
    "--theme": ["dark", "light"],
}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(sorted(FLAG_VALUES)).flatmap(
    lambda flag: st.sampled_from(FLAG_VALUES[flag]).map(lambda value: (flag, value))), max_size=5),
    st.sampled_from(["out.png", "out.gif", "frames", "out.svg", "out.bmp"]))
def test_any_flags_are_accepted_or_refused_in_one_line(tmp_path_factory, pairs, output):
    """Flag checking (everything before rendering) either passes or raises UsageError."""
    from reluviz.export_cli import UsageError, _check, _parse_sample, build_parser

    folder = tmp_path_factory.mktemp("flags")
    argv = [item for pair in pairs for item in pair] + ["-o", str(folder / output)]
    try:
        args = build_parser().parse_args(argv)
        kind, (width, height) = _check(args)
    except UsageError as error:
        assert "\n" not in str(error) and str(error)
        return
    assert kind in ("still", "animation") and 64 <= width <= 8192 and 64 <= height <= 8192
    assert args.fps is None or 0.5 <= args.fps <= 60
    assert _parse_sample(args.sample) in (None, "all") or 0 <= _parse_sample(args.sample) < 10**9


def test_a_batch_preset_export_names_its_axes(tmp_path):
    """A batch's rows are samples and its columns units: the slide says so, as the app's title does."""
    from reluviz.export_cli import main as export_main

    out = tmp_path / "batch.svg"
    assert export_main(["--preset", "nnfs-batch", "--view", "z", "-o", str(out)]) == 0
    assert "100 samples × 64 units" in out.read_text(encoding="utf-8")
    book = tmp_path / "book.svg"
    assert export_main(["--preset", "book", "--view", "z", "-o", str(book)]) == 0
    assert "samples" not in book.read_text(encoding="utf-8")


@pytest.mark.parametrize(("flags", "symbol"), [([], "&lt;="), (["--strict"], "&lt;")])
def test_the_code_caption_follows_the_strict_flag(tmp_path, flags, symbol):
    out = tmp_path / "caption.svg"
    result = run_export(*flags, "--caption", "code", "--size", "640x360", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert f"drelu[z {symbol} 0] = 0" in text and f"mask = z {symbol} 0" in text


def test_network_export_of_a_session_uses_the_sessions_colormap(tmp_path):
    """``--session S --view network`` paints the network as the app does: in the session's colormap
    (the network shares the arrays'), unless --colormap says otherwise."""
    from PySide6.QtGui import QImage

    from reluviz.core.io.session import NetworkConfig, Session, save_session
    from reluviz.core.network.timeline import build_timeline
    from reluviz.core.network_document import NetworkDocument
    from reluviz.core.session_documents import apply_network_config
    from reluviz.render.figures import figure_image
    from reluviz.render.fonts import load_app_fonts
    from reluviz.render.network_figures import network_figure
    from reluviz.render.theme import LIGHT

    load_app_fonts()
    config = NetworkConfig(preset="book", seed=1, trained_learning_rates=[0.5, 0.5], sample=3)
    path = tmp_path / "cool.reluviz"
    save_session(path, Session(colormap="cool-warm", network=config))
    doc = NetworkDocument()
    assert apply_network_config(config, doc) == []
    scene = build_timeline(doc.pass_record, doc.shown_sample).frames[5].scene

    def app_picture(colormap: str) -> QImage:
        image = figure_image(network_figure(scene, 640, 360, 1.0, None, colormap=colormap, theme=LIGHT))
        return image.convertToFormat(QImage.Format.Format_ARGB32)

    for extra, colormap in (((), "cool-warm"), (("--colormap", "blue-red"), "blue-red")):
        out = tmp_path / f"{colormap}.png"
        result = run_export("--session", str(path), "--view", "network", "--frame", "6", "--size", "640x360",
                            *extra, "-o", str(out))
        assert result.returncode == 0, result.stderr
        assert QImage(str(out)).convertToFormat(QImage.Format.Format_ARGB32) == app_picture(colormap)
    assert app_picture("cool-warm") != app_picture("blue-red")
