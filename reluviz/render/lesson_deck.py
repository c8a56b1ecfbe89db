"""The lesson deck: one idea per page, written as a multi-page PDF or one PNG/SVG per page.

Pages, in order: the three lines stepped on the current arrays, why ``.copy()``, ``<=`` against
``<`` at exact zeros, the shape rule with NumPy's real error, equivalent forms, the calls Python
makes, the network's forward and backward pass with its step cards, and the five questions
answered. Every page is painted by :mod:`reluviz.render.teaching_pages` (and the network pages by
the network painter), the same code the Code view paints with.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from reluviz.core.io.files import write_atomically
from reluviz.core.io.limits import InputError
from reluviz.core.network.timeline import Timeline
from reluviz.render import teaching_pages as pages
from reluviz.render.teaching_pages import Lesson, PageResult, page_theme
from reluviz.render.theme import Theme

__all__ = ["DeckPage", "lesson_pages", "network_timeline", "pdf_deck_bytes", "write_lesson"]

DECK_SUFFIXES = (".pdf", ".png", ".svg")


@dataclass(frozen=True)
class DeckPage:
    """One page: a name (used in per-page file names) and a painter ``paint(painter, rect, theme, vector)``."""

    name: str
    paint: Callable[[QPainter, QRectF, Theme, bool], PageResult | None]


def network_timeline(preset: str = "default", seed: int = 0) -> Timeline:
    """The network's forward and backward pass for the deck, on the sample the app opens with."""
    from reluviz.core.network import NetworkRun
    from reluviz.core.network.timeline import build_timeline, default_sample

    record = NetworkRun(preset, seed=seed).evaluate()
    return build_timeline(record, default_sample(record))


def _network_page(timeline: Timeline, index: int, colormap: str) -> Callable[[QPainter, QRectF, Theme, bool], None]:
    frame = timeline.frames[index]

    def paint(painter: QPainter, rect: QRectF, theme: Theme, vector: bool) -> None:
        from reluviz.render.network_figures import render_network_frame

        result = PageResult()
        title = (f"The network, {frame.phase.value} · step {index + 1} of {len(timeline)} · {frame.layer_name}")
        body = pages._heading(painter, rect, theme, title, result)
        render_network_frame(painter, body, frame.scene, 1.0, frame.text, colormap=colormap, theme=theme)

    return paint


def lesson_pages(lesson: Lesson, timeline: Timeline | None = None) -> list[DeckPage]:
    """The deck's pages for ``lesson`` (and the network pass ``timeline``, when given)."""
    deck = [DeckPage(f"line-{step}", lambda p, r, t, v, step=step: pages.paint_code_step(p, r, lesson, t, step, 1.0, v))
            for step in (1, 2, 3)]
    deck += [
        DeckPage("copy", lambda p, r, t, v: pages.paint_why_copy(p, r, lesson, t, True, v)),
        DeckPage("zero", lambda p, r, t, v: pages.paint_zero_boundary(p, r, lesson, t, v)),
        DeckPage("shapes", lambda p, r, t, v: pages.paint_shapes(p, r, lesson, t, vector=v)),
        DeckPage("forms", lambda p, r, t, v: pages.paint_forms(p, r, lesson, t, v)),
        DeckPage("python", lambda p, r, t, v: pages.paint_python_calls(p, r, lesson, t, v)),
    ]
    if timeline is not None:
        deck += [DeckPage(f"network-{i + 1:02d}", _network_page(timeline, i, lesson.cmap))
                 for i in range(len(timeline))]
    deck.append(DeckPage("questions", lambda p, r, t, v: pages.paint_questions(p, r, lesson, t, v)))
    return deck


def _begin(device) -> QPainter:
    painter = QPainter()
    if not painter.begin(device):
        raise InputError("Qt could not start drawing the lesson.")
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    return painter


def pdf_deck_bytes(deck: Sequence[DeckPage], width: int, height: int, theme: Theme, title: str = "lesson") -> bytes:
    """Every page of ``deck`` as one PDF, each page ``width`` × ``height`` px (96 px = 1 inch)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator("reluviz")
    writer.setResolution(96)
    points = QSizeF(width * 72 / 96, height * 72 / 96)
    layout = QPageLayout(QPageSize(points, QPageSize.Unit.Point, "reluviz", QPageSize.SizeMatchPolicy.ExactMatch),
                         QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
    layout.setMode(QPageLayout.Mode.FullPageMode)
    writer.setPageLayout(layout)
    scaled = page_theme(theme, width, height)
    painter = _begin(writer)
    try:
        for number, page in enumerate(deck):
            if number:
                writer.newPage()
            page.paint(painter, QRectF(0, 0, width, height), scaled, True)
    finally:
        painter.end()
    del writer  # finishes the document
    buffer.close()
    return data.data()


def page_figure(page: DeckPage, width: int, height: int, theme: Theme):
    """One page as a :class:`reluviz.render.figures.Figure`, for the PNG and SVG writers."""
    from reluviz.render.figures import Figure

    scaled = page_theme(theme, width, height)

    def draw(painter: QPainter, rect: QRectF, vector: bool) -> None:
        page.paint(painter, rect, scaled, vector)

    return Figure(draw, width, height, scaled.background)


def write_lesson(path: str | os.PathLike[str], deck: Sequence[DeckPage], width: int, height: int,
                 theme: Theme) -> list[Path]:
    """Write the deck: ``.pdf`` one multi-page file; ``.png``/``.svg`` one file per page.

    Per-page files are named ``<stem>-01-<page>.png`` beside ``path``. Every file is written
    atomically. Returns the paths written.
    """
    from reluviz.render.figures import check_size
    from reluviz.render.writers import write_figure

    width, height = check_size(width, height)
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in DECK_SUFFIXES:
        raise InputError(f"Cannot write the lesson to '{target.name}': use .pdf (one file) or .png/.svg "
                         "(one file per page).")
    if suffix == ".pdf":
        encoded = pdf_deck_bytes(deck, width, height, theme, target.stem)
        write_atomically(target, lambda file: file.write(encoded))
        return [target]
    written = []
    for number, page in enumerate(deck, start=1):
        one = target.with_name(f"{target.stem}-{number:02d}-{page.name}{suffix}")
        written.append(write_figure(one, page_figure(page, width, height, theme)))
    return written
