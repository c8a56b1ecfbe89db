"""The lesson deck: its pages, the five answers in its text, its writers and ``reluviz export --lesson``."""

from __future__ import annotations

import io
import unicodedata

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from reluviz.core.presets import preset_arrays
from reluviz.core.teaching import negative_zero_notes
from reluviz.export_cli import main as export_main
from reluviz.render.fonts import load_app_fonts
from reluviz.render.lesson_deck import lesson_pages, network_timeline, pdf_deck_bytes, write_lesson
from reluviz.render.teaching_pages import Lesson, page_theme
from reluviz.render.theme import DARK, LIGHT

pypdf = pytest.importorskip("pypdf")


@pytest.fixture(autouse=True)
def _fonts(qapp):
    load_app_fonts()


def _flat(text: str) -> str:
    # NFKC undoes the PDF's ligatures ("ﬀ" → "ff"); whitespace is where the page wrapped.
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _pdf_pages(data: bytes) -> list[str]:
    return [_flat(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def _numpy_error(dvalues: np.ndarray, mask_shape: tuple[int, ...]) -> str:
    drelu = dvalues.copy()
    with pytest.raises(IndexError) as raised:
        drelu[np.zeros(mask_shape, dtype=bool)] = 0
    return f"IndexError: {raised.value}"


def test_deck_pages_hold_the_answers_to_the_five_questions():
    z, dvalues = preset_arrays("exact-zeros")
    timeline = network_timeline()
    deck = lesson_pages(Lesson(z, dvalues), timeline)
    texts = _pdf_pages(pdf_deck_bytes(deck, 1280, 720, LIGHT))
    assert len(texts) == len(deck) == 3 + 5 + len(timeline) + 1
    whole = " ".join(texts)
    mask = z <= 0
    # 1. kind, shape and True count of the mask, on the page of line 1.
    assert f"bool array of shape {mask.shape}: {int(mask.sum())} True" in texts[0]
    # 2. the cells line 3 writes: every True cell of the mask, on the page of line 3.
    cells = [f"[{r}, {c}]" for r, c in zip(*np.nonzero(mask), strict=True)]
    if len(cells) <= 8:
        assert all(cell in texts[2] for cell in cells)
    assert f"{int(mask.sum())} True cell" in texts[2]
    # 3. the two names share memory, and how many dvalues cells the aliased line changed.
    drelu = dvalues
    assert np.shares_memory(drelu, dvalues)
    changed = int(np.count_nonzero(mask & (dvalues != 0) | mask & np.signbit(dvalues)))
    assert "np.shares_memory(drelu, dvalues): True" in texts[3]
    assert f"dvalues cells changed: {changed} cell" in texts[3]
    # 4. where z < 0 differs: exactly the exact zeros of z.
    zeros = [f"[{r}, {c}]" for r, c in zip(*np.nonzero(z == 0), strict=True)]
    assert zeros and all(cell in texts[4] for cell in zeros)
    assert f"differ here in {len(zeros)} cells (outlined)" in texts[4]
    # The dashed outline and every -0 on screen are explained where they appear.
    notes = negative_zero_notes(z, dvalues)
    assert {"outline", "z"} <= set(notes)
    assert all(_flat(note) in texts[4] for note in notes.values())
    # 5. NumPy's own error for a mask one column wider, captured here from NumPy itself.
    assert _numpy_error(dvalues, (z.shape[0], z.shape[1] + 1)) in texts[5]
    # The network pages carry their step cards; the last page answers all five questions.
    assert _flat(timeline.frames[0].text)[:40] in texts[8]
    for question in ("What does z <= 0 produce", "Why dvalues.copy() first", "same shape"):
        assert question in texts[-1]
    assert "IndexError" in whole


def test_book_example_deck_says_no_exact_zero_and_the_copy_changes_six_cells():
    z, dvalues = preset_arrays("book")
    texts = _pdf_pages(pdf_deck_bytes(lesson_pages(Lesson(z, dvalues)), 1920, 1080, DARK))
    assert "z holds no exact 0" in texts[4]
    assert f"dvalues cells changed: {int((z <= 0).sum())} cells" in texts[3]


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (3840, 2160)])
@pytest.mark.parametrize("preset", ["book", "exact-zeros", "nnfs-batch"])
def test_no_page_text_overflows(size, preset):
    z, dvalues = preset_arrays(preset)
    lesson = Lesson(z, dvalues)
    width, height = size
    theme = page_theme(LIGHT, width, height)
    # Text fitting only measures: a small image with the full-size rectangle is enough.
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        for page in lesson_pages(lesson):
            result = page.paint(painter, QRectF(0, 0, width, height), theme, False)
            assert result is not None and result.overflow == [], (page.name, result.overflow)
    finally:
        painter.end()


def test_png_and_svg_write_one_file_per_page(tmp_path):
    z, dvalues = preset_arrays("book")
    deck = lesson_pages(Lesson(z, dvalues))
    pngs = write_lesson(tmp_path / "lesson.png", deck, 640, 360, LIGHT)
    svgs = write_lesson(tmp_path / "lesson.svg", deck, 640, 360, LIGHT)
    assert len(pngs) == len(svgs) == len(deck)
    assert QImage(str(pngs[0])).size().width() == 640
    assert b"mask = z &lt;= 0" in svgs[0].read_bytes()


def test_cli_lesson_writes_the_deck(tmp_path, capsys):
    out = tmp_path / "lesson.pdf"
    assert export_main(["--lesson", "--preset", "book", "--size", "1280x720", "-o", str(out)]) == 0
    texts = _pdf_pages(out.read_bytes())
    assert len(texts) == 3 + 5 + len(network_timeline()) + 1
    assert "np.shares_memory(drelu, dvalues): True" in " ".join(texts)


def test_cli_lesson_follows_strict_and_the_arrays_given(tmp_path):
    z, dvalues = preset_arrays("exact-zeros")
    np.save(tmp_path / "z.npy", z)
    np.save(tmp_path / "d.npy", dvalues)
    out = tmp_path / "strict.pdf"
    argv = ["--lesson", "--strict", "--z", str(tmp_path / "z.npy"), "--dvalues", str(tmp_path / "d.npy"),
            "--theme", "dark", "--size", "1280x720", "-o", str(out)]
    assert export_main(argv) == 0
    first = _pdf_pages(out.read_bytes())[0]
    mask = z < 0
    assert f"z < 0 gives a bool array of shape {mask.shape}: {int(mask.sum())} True" in first


@pytest.mark.parametrize(("extra", "says"), [
    (["--view", "mask"], "don't combine it with --view"),
    (["--frame", "2"], "don't combine it with --frame"),
    (["--caption", "code"], "don't combine it with --caption"),
    (["-o", "x.gif"], "--lesson writes .pdf"),
])
def test_cli_lesson_refuses_bad_combinations(tmp_path, capsys, extra, says):
    argv = ["--lesson", "-o", str(tmp_path / "lesson.pdf"), *extra]
    if extra[0] == "-o":
        argv = ["--lesson", "-o", str(tmp_path / extra[1])]
    assert export_main(argv) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1
    assert not (tmp_path / "lesson.pdf").exists()
