"""The Python surface: ``reluviz.show``, ``reluviz.figure``, ``reluviz.export`` and their input rules.

Input normalisation is pure NumPy and tested without Qt. The Qt paths are tested in this process
(pytest-qt's QApplication) and in subprocesses with a clean environment: no QApplication, no
display, a QCoreApplication already there, a script that blocks until the window closes.
"""

from __future__ import annotations

import ast
import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

import reluviz
from reluviz.core.io.arrays_input import as_numpy, flatten_to_2d, normalize_pair, normalize_recording
from reluviz.core.io.limits import InputError
from reluviz.core.relu import relu_backward

ROOT = Path(reluviz.__file__).resolve().parent.parent
BOOK_Z = [[1, 2, -3, -4], [2, -7, -1, 3], [-1, 2, 5, -1]]
BOOK_D = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]


# -- input normalisation (pure) ------------------------------------------------------------------


class FakeTensor:
    """Duck-types a PyTorch tensor that requires grad and lives on a GPU."""

    def __init__(self, values: np.ndarray, *, attached: bool = True, on_gpu: bool = True) -> None:
        self.values, self.attached, self.on_gpu = values, attached, on_gpu
        self.shape = values.shape
        self.calls: list[str] = []

    def detach(self) -> FakeTensor:
        self.calls.append("detach")
        detached = FakeTensor(self.values, attached=False, on_gpu=self.on_gpu)
        detached.calls = self.calls
        return detached

    def cpu(self) -> FakeTensor:
        self.calls.append("cpu")
        moved = FakeTensor(self.values, attached=self.attached, on_gpu=False)
        moved.calls = self.calls
        return moved

    def numpy(self) -> np.ndarray:
        # torch's own refusals, in its words
        if self.attached:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy()")
        if self.on_gpu:
            raise TypeError("can't convert cuda:0 device type tensor to numpy.")
        self.calls.append("numpy")
        return self.values


def test_lists_become_float64_arrays_keep_their_dtype():
    assert normalize_pair(BOOK_Z, BOOK_D).z.dtype == np.float64
    assert np.array_equal(normalize_pair(BOOK_Z, BOOK_D).z, np.array(BOOK_Z, dtype=np.float64))
    for dtype in ("int8", "uint16", "int64", "float16", "float32"):
        arrays = normalize_pair(np.ones((2, 3), dtype), np.ones((2, 3), dtype))
        assert arrays.z.dtype == np.dtype(dtype) and arrays.dvalues.dtype == np.dtype(dtype)
    # Integers float64 cannot hold exactly keep NumPy's int64 instead of being rounded.
    big = [[2**60, -1]]
    assert as_numpy(big).dtype == np.int64 and as_numpy(big)[0, 0] == 2**60
    swapped = np.arange(4, dtype=">f8").reshape(2, 2)
    native = as_numpy(swapped)
    assert native.dtype == np.float64 and native.dtype.isnative and np.array_equal(native, swapped)


def test_an_array_is_not_copied():
    z = np.zeros((3, 4))
    assert normalize_pair(z, np.ones((3, 4))).z is z


def test_a_tensor_is_detached_and_moved_to_the_cpu_first():
    tensor = FakeTensor(np.array([[1.0, -2.0]], dtype=np.float32))
    array = as_numpy(tensor, "z")
    assert tensor.calls == ["detach", "cpu", "numpy"]
    assert array.dtype == np.float32 and np.array_equal(array, [[1.0, -2.0]])
    arrays = normalize_pair(FakeTensor(np.ones((2, 3, 4))), FakeTensor(np.ones((2, 3, 4))))
    assert arrays.z.shape == (6, 4)


def test_a_huge_tensor_is_refused_from_its_shape_before_it_is_copied():
    class Huge:
        shape = (100_000, 3, 4)

        def cpu(self):
            raise AssertionError("copied before the size check")

    with pytest.raises(InputError, match=r"z is 100000×3×4, which is 300000×4 .* up to 4096×4096"):
        as_numpy(Huge(), "z")


def test_more_than_two_dimensions_are_flattened_into_rows_with_a_note():
    z = np.arange(24.0).reshape(2, 3, 4) - 11
    arrays = normalize_pair(z, -z)
    assert arrays.z.shape == (6, 4) and arrays.original_shape == (2, 3, 4)
    assert np.array_equal(arrays.z, z.reshape(6, 4)) and np.shares_memory(arrays.z, z)
    assert arrays.note == "z and dvalues are 2×3×4, shown as 6×4: the leading axes are flattened into rows"
    row = normalize_pair([1.0, -2.0, 3.0], [1.0, 1.0, 1.0])
    assert row.z.shape == (1, 3) and row.note is None
    assert flatten_to_2d(np.zeros((2, 1, 1, 5))).shape == (2, 5)


@pytest.mark.parametrize(("z", "dvalues", "words"), [
    ([[1, 2], [3]], [[1, 2], [3]], "z is a ragged nested list"),
    ([[1.0, None]], [[1.0, 2.0]], "z holds Python objects"),
    ([["a", "b"]], [[1.0, 2.0]], "holds text"),
    ([[True, False]], [[True, False]], "holds bool values"),
    (np.ones((2, 2), complex), np.ones((2, 2), complex), "holds complex numbers"),
    (3.0, 4.0, "a single value"),
    (np.zeros((0, 3)), np.zeros((0, 3)), "empty"),
    (np.zeros((2, 0, 3)), np.zeros((2, 0, 3)), "empty"),
    (np.zeros((2, 3, 4)), np.zeros((6, 4)), "z is 2×3×4 but dvalues is 6×4; they must have the same shape"),
    (np.zeros((2, 3)), np.zeros((3, 2)), "z is 2×3 but dvalues is 3×2"),
    (np.zeros((5000, 1, 2)), np.zeros((5000, 1, 2)), "which is 5000×2 .* up to 4096×4096"),
    (np.zeros((1, 5000)), np.zeros((1, 5000)), "up to 4096×4096"),
])
def test_bad_input_is_refused_in_plain_words(z, dvalues, words):
    with pytest.raises(InputError, match=words):
        normalize_pair(z, dvalues)


@settings(max_examples=60, deadline=None)
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=4), seed=st.integers(0, 2**16))
def test_flattening_keeps_every_gradient_where_the_book_puts_it(shape, seed):
    rng = np.random.default_rng(seed)
    z = rng.integers(-2, 3, size=shape).astype(float)
    dvalues = rng.normal(size=shape)
    arrays = normalize_pair(z, dvalues)
    # The book's lines on the original shape, reshaped, equal them on what the explorer shows.
    expected = relu_backward(z, dvalues).reshape(arrays.z.shape)
    assert np.array_equal(relu_backward(arrays.z, arrays.dvalues), expected)


# -- recordings: z and dvalues per training step (pure; the step slider comes later) ---------------


def test_a_recording_from_a_list_of_steps_or_a_steps_axis():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(5, 3, 4))
    dvalues = rng.normal(size=(5, 3, 4)).astype(np.float32)
    from_list = normalize_recording(list(z), [FakeTensor(step) for step in dvalues])
    from_axis = normalize_recording(z, dvalues)
    from_lists = normalize_recording(z.tolist(), dvalues.tolist())
    for rec in (from_list, from_axis, from_lists):
        assert rec.steps == 5 and rec.z.shape == rec.dvalues.shape == (5, 3, 4) and rec.note is None
        assert np.array_equal(rec.z, z) and np.array_equal(rec.dvalues, dvalues)
    assert from_list.dvalues.dtype == np.float32 and from_lists.dvalues.dtype == np.float64
    last = from_axis.step(-1)
    assert np.array_equal(relu_backward(last.z, last.dvalues), relu_backward(z[-1], dvalues[-1]))
    # Steps of different float widths are promoted as NumPy promotes them.
    assert normalize_recording([np.ones((2, 2), np.float32), np.ones((2, 2))], np.ones((2, 2, 2))).z.dtype == np.float64


def test_a_recording_of_3d_steps_is_flattened_per_step():
    rec = normalize_recording(np.zeros((4, 2, 3, 5)), np.ones((4, 2, 3, 5)))
    assert rec.z.shape == (4, 6, 5) and rec.step_shape == (2, 3, 5)
    assert rec.note == "each step's z and dvalues are 2×3×5, shown as 6×5: the leading axes are flattened into rows"


@pytest.mark.parametrize(("z", "dvalues", "words"), [
    ([], [], "no steps"),
    (np.zeros((3, 2, 2)), np.zeros((4, 2, 2)), "z has 3 steps but dvalues has 4"),
    ([np.zeros((2, 2)), np.zeros((2, 3))], np.zeros((2, 2, 2)), "z at step 1 is 2×3 but z at step 0 is 2×2"),
    (np.zeros((2, 2, 2)), [np.zeros((2, 2)), np.zeros((3, 2))], "dvalues at step 1 is 3×2"),
    (np.zeros(5), np.zeros(5), "a recording has a first axis of steps"),
    (np.zeros((300, 256, 256)), np.zeros((300, 256, 256)), "The recording is 300×256×256, 19660800 cells"),
    ([[["a"]]], [[[1.0]]], "holds text"),
])
def test_a_bad_recording_is_refused_in_plain_words(z, dvalues, words):
    with pytest.raises(InputError, match=words):
        normalize_recording(z, dvalues)


def test_a_huge_recorded_tensor_is_refused_before_it_is_copied():
    class Huge:
        shape = (1000, 512, 512)

        def cpu(self):
            raise AssertionError("copied before the size check")

    with pytest.raises(InputError, match="z is 1000×512×512, 262144000 cells"):
        normalize_recording(Huge(), Huge())


# -- the package namespace -------------------------------------------------------------------------


def run_python(code: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter; ``env`` replaces the environment (plus PATH and PYTHONPATH)."""
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT),
            "XDG_CONFIG_HOME": os.environ["XDG_CONFIG_HOME"], "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env={**base, **(env or {})}, timeout=timeout)


def test_import_reluviz_and_help_import_no_qt():
    result = run_python("""
        import sys, pydoc, reluviz
        text = pydoc.render_doc(reluviz, renderer=pydoc.plaintext)
        print(sorted({m.split('.')[0] for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))}))
        print(callable(reluviz.show), callable(reluviz.figure), callable(reluviz.export))
        print(sorted({m.split('.')[0] for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))}))
        print('show(z, dvalues' in text, 'figure(z, dvalues' in text, 'relu_backward' in text)
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:4] == ["[]", "True True True", "[]", "True True True"]


def test_public_names():
    assert set(reluviz.__all__) == {"ArraysFigure", "__version__", "export", "figure", "relu_backward", "show"}
    assert reluviz.relu_backward is relu_backward
    assert {"show", "figure", "export"} <= set(dir(reluviz))
    with pytest.raises(AttributeError, match="no attribute 'shoe'"):
        reluviz.shoe  # noqa: B018
    assert (ROOT / "reluviz" / "py.typed").exists()


# -- figure and export (this process's QApplication) -----------------------------------------------


def _png(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"))


def test_figure_renders_png_svg_pdf_and_shows_the_mask(qapp, tmp_path):
    fig = reluviz.figure(BOOK_Z, BOOK_D, caption="code")
    pixels = _png(fig._repr_png_())
    assert pixels.shape == (720, 1280, 3)
    # Cell (0, 2) of the mask is blocked (z = -3, dark), cell (0, 0) passes (z = 1, light).
    # (Read near a cell's corner: its centre holds the printed "T" or "F".)
    corner = {}
    for col in (0, 2):
        rect = fig.qt_figure().cell_rect("mask", 0, col)
        corner[col] = (int(rect.top() + 0.2 * rect.height()), int(rect.left() + 0.2 * rect.width()))
    blocked, passing = pixels[corner[2]].astype(int), pixels[corner[0]].astype(int)
    assert blocked.sum() < 200 < 500 < passing.sum()

    svg = fig._repr_svg_()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "drelu = dvalues.copy(); drelu[z &lt;= 0] = 0" in svg
    assert fig.save(tmp_path / "f.pdf").read_bytes().startswith(b"%PDF")
    with Image.open(fig.save(tmp_path / "f.png")) as image:
        assert image.size == (1280, 720)

    one = reluviz.figure(BOOK_Z, BOOK_D, "drelu", size=(640, 360), theme="dark", inclusive=False)
    assert _png(one.to_png()).shape == (360, 640, 3)
    assert "drelu" in one.to_svg() and "mask" not in one.to_svg()


def test_figure_of_a_3d_array_says_how_it_was_flattened(qapp):
    z = np.arange(24.0).reshape(2, 3, 4) - 11
    fig = reluviz.figure(z, np.ones_like(z))
    assert "z and dvalues are 2×3×4, shown as 6×4" in fig.to_svg()
    assert "shown as 6×4" not in reluviz.figure(z, np.ones_like(z), caption="mine").to_svg()  # yours wins


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"view": "network"}, "Unknown view 'network'"),
    ({"theme": "sepia"}, "Unknown theme 'sepia'"),
    ({"colormap": "jet"}, "Unknown colormap 'jet'"),
    ({"size": (10, 10)}, "size 10x10 is out of range"),
    ({"size": "big"}, "is not \\(width, height\\)"),
])
def test_figure_refuses_bad_options(kwargs, words):
    with pytest.raises(InputError, match=words):
        reluviz.figure(BOOK_Z, BOOK_D, **kwargs)


def test_export_of_arrays_matches_the_command_byte_for_byte(qapp, tmp_path):
    from reluviz.export_cli import main as export_main

    assert export_main(["--caption", "code", "--theme", "dark", "-o", str(tmp_path / "cli.png")]) == 0
    out = reluviz.export(tmp_path / "api.png", BOOK_Z, BOOK_D, caption="code", theme="dark")
    assert out == tmp_path / "api.png"
    assert out.read_bytes() == (tmp_path / "cli.png").read_bytes()
    # Without arrays it is the command itself: a preset, the network.
    assert reluviz.export(tmp_path / "net.png", view="network", size=(640, 360)).stat().st_size > 1000
    assert reluviz.export(tmp_path / "blocked.svg", preset="all-blocked", view="mask").exists()


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"fps": 10}, "--fps is for animations"),
    ({"view": "network", "transparent": True}, "transparent applies to array exports only"),
    ({"view": "mask", "z": BOOK_Z}, "z and dvalues go together"),
    ({"z": BOOK_Z, "dvalues": BOOK_D, "preset": "book"}, "don't combine them"),
    ({"size": "huge"}, "--size 'huge' is not WIDTHxHEIGHT"),
    ({"view": "graph"}, "invalid choice: 'graph'"),
])
def test_export_refuses_what_the_command_refuses(tmp_path, kwargs, words):
    with pytest.raises(ValueError, match=words):
        reluviz.export(tmp_path / "x.png", **kwargs)
    assert not (tmp_path / "x.png").exists()


# -- show (this process: a Qt event loop already running) ------------------------------------------


@pytest.fixture
def isolated_settings(qapp, tmp_path):
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("reluviz-tests")
    QCoreApplication.setApplicationName("reluviz-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    yield


def test_show_inside_a_running_event_loop_returns_the_window_at_once(qtbot, qapp, isolated_settings):
    from PySide6.QtCore import QEventLoop, QTimer

    z = np.arange(24.0).reshape(2, 3, 4) - 11
    dvalues = np.ones((2, 3, 4), np.float32)
    before = z.copy()
    shown = []
    loop = QEventLoop()

    def call_show() -> None:
        shown.append(reluviz.show(z, dvalues, inclusive=False))
        shown.append(shown[0].isVisible())  # still open: show did not wait for it to close
        loop.quit()

    QTimer.singleShot(0, call_show)
    QTimer.singleShot(20_000, loop.quit)  # a blocking show() must fail the test, not hang it
    loop.exec()
    assert len(shown) == 2, "show() did not return inside the running loop"
    window, visible = shown
    qtbot.addWidget(window)
    assert visible
    assert window.model.z.shape == (6, 4) and window.model.dvalues.dtype == np.float32
    assert window.model.inclusive is False
    assert "2×3×4, shown as 6×4" in window.windowTitle()
    window.model.set_value("z", 0, 0, 5.0)
    assert np.array_equal(z, before)  # the window edits copies


def test_show_with_block_false_returns_and_refuses_bad_input_before_qt(qtbot, isolated_settings):
    window = reluviz.show(BOOK_Z, BOOK_D, block=False)
    qtbot.addWidget(window)
    assert window.isVisible() and window.model.z.dtype == np.float64
    assert "shown as" not in window.windowTitle()
    with pytest.raises(InputError, match="z is 3×4 but dvalues is 1×2"):
        reluviz.show(BOOK_Z, [[1.0, 2.0]])


# -- subprocesses with a clean environment ---------------------------------------------------------

FIGURE_SCRIPT = """
    import sys, reluviz
    from PySide6.QtWidgets import QApplication
    fig = reluviz.figure([[1.0, -2.0]], [[3.0, 4.0]])
    png = fig._repr_png_()
    print(png[:4] == b'\\x89PNG', QApplication.instance().platformName(), len(fig.to_svg()) > 1000)
"""


@pytest.mark.parametrize("display", [None, ":987"])
def test_figure_without_a_qapplication_or_a_display_never_aborts(display):
    # No QT_QPA_PLATFORM, no working display: Qt would abort (exit 134) if asked for xcb alone.
    result = run_python(FIGURE_SCRIPT, env={"DISPLAY": display} if display else {})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "offscreen", "True"]


def test_a_qcoreapplication_already_running_gets_a_clear_error():
    result = run_python("""
        import reluviz
        from PySide6.QtCore import QCoreApplication
        app = QCoreApplication([])
        for call in (lambda: reluviz.figure([[1.0]], [[1.0]]).to_png(), lambda: reluviz.show([[1.0]], [[1.0]])):
            try:
                call()
            except RuntimeError as error:
                print('refused:', error)
    """, env={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert "already runs a QCoreApplication without it" in lines[0]
    assert "reluviz.show needs a QApplication" in lines[1]


def test_show_without_a_display_says_so_instead_of_hiding_a_window():
    result = run_python("""
        import reluviz
        try:
            reluviz.show([[1.0]], [[1.0]])
        except RuntimeError as error:
            print(error)
    """)
    assert result.returncode == 0, result.stderr
    assert "needs a display" in result.stdout and "reluviz.figure" in result.stdout


def test_show_from_a_script_blocks_until_the_window_closes():
    result = run_python("""
        import reluviz
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        from reluviz.ui.main_window import MainWindow

        events = []
        original = MainWindow.showEvent

        def show_event(self, event):
            original(self, event)
            events.append('shown')
            def close():
                events.append('closed')
                self.close()
            QTimer.singleShot(50, close)

        MainWindow.showEvent = show_event
        window = reluviz.show([[1.0, -2.0]], [[3.0, 4.0]])
        events.append('returned')
        print(events, window.isVisible(), window.model.drelu.tolist(), QApplication.instance().platformName())
    """, env={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['shown', 'closed', 'returned'] False [[3.0, 0.0]] offscreen"


@pytest.mark.parametrize(("active", "enabled"), [("qt", []), ("qt6", []), (None, ["qt"]), ("inline", ["qt"])])
def test_show_in_ipython_returns_at_once(active, enabled):
    # IPython runs Qt's loop between cells, not while one runs: show() asks IPython (as napari
    # does), and turns Qt's loop on as %gui qt would when no GUI loop runs yet. (Checked by hand
    # in a real ipykernel too: the kernel answers the next cell and Qt timers fire between cells.)
    result = run_python(f"""
        import sys, types
        enabled = []
        def enable_gui(name):
            enabled.append(name)
            shell.active_eventloop = name
        shell = types.SimpleNamespace(active_eventloop={active!r}, enable_gui=enable_gui)
        sys.modules['IPython'] = types.SimpleNamespace(get_ipython=lambda: shell)
        import reluviz
        window = reluviz.show([[1.0, -2.0]], [[3.0, 4.0]])
        print(window.isVisible(), enabled)
    """, env={"QT_QPA_PLATFORM": "offscreen"}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"True {enabled}"


# -- the example notebook --------------------------------------------------------------------------

NOTEBOOK = ROOT / "docs" / "python-api.ipynb"

NOTEBOOK_RUNNER = """
    import ast, base64, json, sys
    cells = json.loads(sys.stdin.read())
    namespace = {'__name__': '__main__'}
    for source in cells:
        tree = ast.parse(source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, '<cell>', 'exec'), namespace)
        shown = eval(compile(ast.Expression(last.value), '<cell>', 'eval'), namespace) if last else None
        png = getattr(shown, '_repr_png_', None)
        print(json.dumps({'repr': repr(shown)[:200] if shown is not None and png is None else None,
                          'png': base64.b64encode(png()).decode() if png else None}))
"""


def test_the_example_notebook_runs_top_to_bottom(tmp_path):
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
    code = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert len(code) >= 4
    for source in code:
        ast.parse(source)  # plain Python: no magics, so it runs outside Jupyter as well
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(NOTEBOOK_RUNNER)], input=json.dumps(code),
                            capture_output=True, text=True, cwd=tmp_path, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(outputs) == len(code)
    pictures = [_png(__import__("base64").b64decode(out["png"])) for out in outputs if out["png"]]
    assert len(pictures) >= 2 and all(p.shape[2] == 3 and p.shape[1] >= 640 for p in pictures)
    assert any(out["repr"] and "array([[" in out["repr"] for out in outputs)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["relu.png", "relu.svg"]


@pytest.mark.parametrize(("inclusive", "symbol"), [(True, "&lt;="), (False, "&lt;")])
def test_the_code_caption_follows_the_switch(qapp, inclusive, symbol):
    svg = reluviz.figure(BOOK_Z, BOOK_D, inclusive=inclusive, caption="code").to_svg()
    assert f"drelu = dvalues.copy(); drelu[z {symbol} 0] = 0" in svg
