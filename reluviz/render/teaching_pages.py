"""The teaching pages: one idea each, painted onto any QPainter (widget, QImage, SVG, PDF) at any size.

Every sentence and highlight comes from :mod:`reluviz.core.teaching`, run on the arrays on screen;
nothing here computes a claim of its own. The arrays are drawn by the screen's
:class:`~reluviz.render.heatmap.HeatmapRenderer`, so the Code view and the lesson deck look the same.

Each ``paint_*`` function takes a painter, a rectangle, a :class:`Lesson` and a theme already
scaled for the rectangle (:func:`page_theme`), and returns a :class:`PageResult` saying where each
panel landed (tests read pixels there) and which texts were drawn.

Why this is long: one short painter per topic (the three lines, .copy(), forms, shapes, Python's
calls, ``<=`` at 0, the answers) sharing one page layout (title band, panel grid, text blocks); split
per topic only if the topics grow.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from reluviz.core.colour import DEFAULT_COLORMAP, fit_range
from reluviz.core.relu import blocked_mask, operator_text
from reluviz.core.teaching import (
    AliasingDemo,
    CodeStep,
    IndexOutcome,
    RecordedCall,
    ZeroBoundary,
    answer_all,
    code_steps,
    compare_forms,
    dimension_match,
    negative_zero_notes,
    record_calls,
    scratch_pair_outcome,
    shape_demos,
    without_copy,
    zero_boundary,
)
from reluviz.core.teaching.questions import (
    what_comparison_gives,
    what_the_assignment_changes,
    why_copy,
    zero_answer,
)
from reluviz.core.teaching.text import MAX_LISTED_CELLS, cells_text, count_text, first_true_cells
from reluviz.render.fonts import MONO_FAMILY, UI_FAMILY
from reluviz.render.heatmap import HeatmapRenderer, PanelData, ViewState
from reluviz.render.theme import Theme

__all__ = [
    "PAGE_BASE",
    "Lesson",
    "PageResult",
    "page_theme",
    "paint_code_step",
    "paint_forms",
    "paint_python_calls",
    "paint_questions",
    "paint_shapes",
    "paint_why_copy",
    "paint_zero_boundary",
]

# A page this size is drawn at theme scale 1 (as the exports are): text grows with the page.
PAGE_BASE = (1280, 720)
# Text never drops below this many pixels: below it, it is reported as overflowing instead.
MIN_TEXT_PX = 7.0
# Room under a panel row for drelu's "blocked" legend, which hangs below its colour bar.
_LEGEND_ROOM = 46.0
# What :meth:`Lesson.once` stores and hands back.
_T = TypeVar("_T")
_WRONG = QColor("#d6336c")
_RIGHT = QColor("#2f9e44")


def page_theme(theme: Theme, width: float, height: float) -> Theme:
    """``theme`` scaled for a page of ``width`` × ``height`` pixels (1 at 1280×720)."""
    return theme.scaled(min(width / PAGE_BASE[0], height / PAGE_BASE[1]))


class _TitledPanel(PanelData):
    """A panel whose title says which version of the array it shows (``dvalues after``)."""

    heading: str = ""

    @property
    def title(self) -> str:  # type: ignore[override]
        return self.heading or super().title


@dataclass
class Lesson:
    """The arrays on screen and everything the pages say about them, computed once, lazily.

    Parameters
    ----------
    z, dvalues : numpy.ndarray
        The document's arrays (2-D, equal shapes); copied, never modified.
    inclusive : bool
        ``z <= 0`` (the book) or ``z < 0``.
    cmap : str
        The value panels' colormap.
    """

    z: np.ndarray
    dvalues: np.ndarray
    inclusive: bool = True
    cmap: str = DEFAULT_COLORMAP

    _computed: dict[str, object] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.z = np.array(self.z, copy=True)
        self.dvalues = np.array(self.dvalues, copy=True)

    def once(self, key: str, compute: Callable[[], _T]) -> _T:
        """``compute()`` the first time ``key`` is asked for, the stored result after that.

        A lesson's arrays never change, so a page's sentences, masks and form comparisons are
        whole-array work done once, not on every repaint or animation frame.
        """
        if key not in self._computed:
            self._computed[key] = compute()
        return self._computed[key]  # type: ignore[return-value]

    @property
    def operator(self) -> str:
        """``<=`` or ``<``."""
        return operator_text(self.inclusive)

    @cached_property
    def steps(self) -> tuple[CodeStep, ...]:
        """The three lines, run (:func:`~reluviz.core.teaching.code_steps`)."""
        return code_steps(self.z, self.dvalues, self.inclusive)

    @cached_property
    def aliasing(self) -> AliasingDemo:
        """``drelu = dvalues`` without ``.copy()``, run on a scratch pair."""
        return without_copy(self.z, self.dvalues, self.inclusive)

    @cached_property
    def boundary(self) -> ZeroBoundary:
        """``<=`` against ``<``."""
        return zero_boundary(self.z, self.dvalues)

    @cached_property
    def calls(self) -> list[RecordedCall]:
        """The special-method calls Python makes for the three lines."""
        return record_calls(self.z, self.dvalues, self.inclusive)[0]

    @cached_property
    def answers(self) -> list[tuple[str, str]]:
        """The five questions, answered for these arrays."""
        return answer_all(self.z, self.dvalues, self.inclusive)

    @cached_property
    def z_range(self) -> float:
        """``z``'s colour half-range."""
        return fit_range(self.z)

    @cached_property
    def grad_range(self) -> float:
        """The shared half-range of ``dvalues`` and ``drelu``."""
        return fit_range(self.dvalues)

    def panel(self, role: str, values: np.ndarray, blocked: np.ndarray | None = None,
              heading: str = "") -> PanelData:
        """A panel coloured as the Arrays view colours ``role``."""
        values = np.asarray(values)
        if values.ndim != 2:
            values = values.reshape(1, -1) if values.ndim < 2 else values.reshape(values.shape[0], -1)
        if blocked is None:
            blocked = np.zeros(values.shape, dtype=bool)
        panel = _TitledPanel(role=role, values=values, blocked=np.asarray(blocked).reshape(values.shape),
                             half_range=self.z_range if role == "z" else self.grad_range, cmap=self.cmap,
                             inclusive=self.inclusive)
        panel.heading = heading
        return panel


@dataclass
class PageResult:
    """What a page painted: where each panel is, and the texts drawn (in order).

    ``overflow`` lists texts that did not fit their box even at :data:`MIN_TEXT_PX` (tests require
    it to be empty at every supported size).
    """

    panels: dict[str, QRectF] = field(default_factory=dict)
    views: dict[str, tuple[QRectF, ViewState]] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    overflow: list[str] = field(default_factory=list)
    scale: float = 1.0
    highlighted: str | None = None

    def cell_rect(self, name: str, row: int, col: int) -> QRectF:
        """The rectangle of cell ``(row, col)`` of panel ``name``."""
        plot, view = self.views[name]
        return HeatmapRenderer.cell_rect(row, col, plot, view)

    @property
    def text(self) -> str:
        """Every text of the page, one per line."""
        return "\n".join(self.texts)


# -- text -------------------------------------------------------------------------------------------


def _font(px: float, mono: bool = False, bold: bool = False) -> QFont:
    font = QFont(MONO_FAMILY if mono else UI_FAMILY)
    font.setPixelSize(max(1, round(px)))
    font.setBold(bold)
    return font


def fit_text(painter: QPainter, rect: QRectF, text: str, px: float, result: PageResult, *, mono: bool = False,
             bold: bool = False, color: QColor | None = None, wrap: bool = True,
             align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) -> float:
    """Draw ``text`` in ``rect`` at ``px`` pixels, shrinking it until it fits; return its height.

    Text is never clipped: if it cannot fit even at :data:`MIN_TEXT_PX` it is drawn at that size
    and recorded in ``result.overflow``.
    """
    flags = int(align) | (int(Qt.TextFlag.TextWordWrap) if wrap else 0)
    size = px
    while True:
        font = _font(size, mono, bold)
        bounds = QFontMetricsF(font).boundingRect(rect, flags, text)
        fits = bounds.height() <= rect.height() + 0.5 and bounds.width() <= rect.width() + 0.5
        if fits or size <= MIN_TEXT_PX:
            break
        size = max(MIN_TEXT_PX, size * 0.92)
    if not fits:
        result.overflow.append(text)
    painter.save()
    painter.setFont(font)
    painter.setPen(color if color is not None else QColor("#000000"))
    painter.drawText(rect, flags, text)
    painter.restore()
    result.texts.append(text)
    return bounds.height()


def _heading(painter: QPainter, rect: QRectF, theme: Theme, title: str, result: PageResult) -> QRectF:
    """Paint the page's background and heading; return the body rectangle."""
    s = theme.scale
    result.scale = s
    painter.fillRect(rect, theme.background)
    margin = 24 * s
    band = QRectF(rect.left() + margin, rect.top() + 14 * s, rect.width() - 2 * margin, 44 * s)
    fit_text(painter, band, title, 30 * s, result, bold=True, color=theme.text, wrap=False,
             align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    painter.setPen(QPen(theme.accent, max(1.0, 3 * s)))
    painter.drawLine(QPointF(band.left(), band.bottom() + 4 * s), QPointF(band.left() + 120 * s, band.bottom() + 4 * s))
    return QRectF(band.left(), band.bottom() + 16 * s, band.width(), rect.bottom() - band.bottom() - 16 * s - margin)


def _code_box(painter: QPainter, rect: QRectF, lines: Sequence[str], theme: Theme, result: PageResult,
              current: int | None = None, done_before: int | None = None) -> None:
    """The code in a tinted box; line ``current`` (0-based) highlighted, lines after it muted."""
    s = theme.scale
    tint = QColor(theme.text)
    tint.setAlpha(18)
    painter.fillRect(rect, tint)
    pad = 12 * s
    row_h = (rect.height() - 2 * pad) / max(1, len(lines))
    # One size for every line (the widest decides), so the code reads as one block.
    px = min(26 * s, row_h * 0.6)
    widest = max(QFontMetricsF(_font(px, True, True)).horizontalAdvance(line) for line in lines)
    room = rect.width() - 2 * pad - 12 * s
    if widest > room:
        px = max(MIN_TEXT_PX, px * room / widest)
    for i, line in enumerate(lines):
        row = QRectF(rect.left() + pad, rect.top() + pad + i * row_h, rect.width() - 2 * pad, row_h)
        if current is not None and i == current:
            glow = QColor(theme.accent)
            glow.setAlpha(70)
            painter.fillRect(row.adjusted(-pad / 2, 0, pad / 2, 0), glow)
            painter.fillRect(QRectF(row.left() - pad / 2, row.top(), 5 * s, row.height()), theme.accent)
        muted = done_before is not None and i > done_before
        fit_text(painter, row.adjusted(10 * s, 0, 0, 0), line, px, result, mono=True,
                 bold=current == i, color=theme.muted if muted else theme.text, wrap=False,
                 align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


# -- panels -----------------------------------------------------------------------------------------


def _paint_panels(painter: QPainter, rect: QRectF, panels: Sequence[tuple[str, PanelData | None, str]],
                  theme: Theme, result: PageResult, columns: int, vector: bool,
                  highlight: str | None = None) -> None:
    """Lay ``panels`` (name, data or None for "not defined yet", placeholder text) out in a grid."""
    s = theme.scale
    gap = 14 * s
    rows = math.ceil(len(panels) / columns)
    # Only drelu's "blocked" and z's "exactly 0" legends hang below a panel: room only for their rows.
    hangs = [any(data is not None and (data.role == "drelu" or (data.role == "z" and bool(np.any(data.values == 0))))
                 for _, data, _ in panels[r * columns:(r + 1) * columns]) for r in range(rows)]
    legend = [_LEGEND_ROOM * s if hang else 0.0 for hang in hangs]
    w = (rect.width() - gap * (columns - 1)) / columns
    h = (rect.height() - gap * (rows - 1) - sum(legend)) / rows
    renderer = HeatmapRenderer()
    for i, (name, data, placeholder) in enumerate(panels):
        row = i // columns
        top = rect.top() + row * (h + gap) + sum(legend[:row])
        box = QRectF(rect.left() + (i % columns) * (w + gap), top, w, h)
        result.panels[name] = box
        if data is None:
            painter.setPen(QPen(theme.muted, max(1.0, s), Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(box.adjusted(4 * s, 4 * s, -4 * s, -4 * s))
            fit_text(painter, box.adjusted(16 * s, 16 * s, -16 * s, -16 * s), placeholder, 16 * s, result,
                     mono=True, color=theme.muted, align=Qt.AlignmentFlag.AlignCenter)
            continue
        renderer.paint(painter, box, data, ViewState(), theme, vector=vector)
        plot = HeatmapRenderer.layout(box, theme).plot
        shape = (int(data.values.shape[0]), int(data.values.shape[1]))
        result.views[name] = (plot, HeatmapRenderer.resolve_view(ViewState(), shape, plot, theme.scale))
        result.texts.append(data.title)
        if name == highlight:
            result.highlighted = name
            painter.setPen(QPen(theme.accent, max(2.0, 4 * s)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(box.adjusted(-3 * s, -3 * s, 3 * s, 3 * s))


def _outline_cells(painter: QPainter, result: PageResult, name: str, cells: np.ndarray, color: QColor,
                   theme: Theme, alpha: float = 1.0) -> None:
    """Outline the True cells of ``cells`` in panel ``name`` (skipped when cells are tiny)."""
    if name not in result.views or alpha <= 0:
        return
    plot, view = result.views[name]
    if view.cell_px < 4 or cells.size > 128 * 128:
        return
    pen_colour = QColor(color)
    pen_colour.setAlphaF(max(0.0, min(1.0, alpha)))
    # Centred on the cell's edge, over the grid line: it covers little of the cell's own text.
    width = max(2.0, min(3 * theme.scale, view.cell_px * 0.08))
    painter.save()
    painter.setClipRect(plot)
    painter.setPen(QPen(pen_colour, width))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    cells2 = cells.reshape(cells.shape[0], -1) if cells.ndim >= 2 else cells.reshape(1, -1)
    for r, c in zip(*np.nonzero(cells2), strict=True):
        box = HeatmapRenderer.cell_rect(int(r), int(c), plot, view)
        painter.drawRect(box)
    painter.restore()


# -- the pages --------------------------------------------------------------------------------------

STEP_TITLES = ("Line 1 builds the mask", "Line 2 copies the gradient", "Line 3 zeroes the blocked cells")


def step_sentence(lesson: Lesson, step: int) -> str:
    """What line ``step`` (1, 2 or 3) did to the arrays on screen, in computed words."""
    if step == 1:
        return lesson.once("q1", lambda: what_comparison_gives(lesson.z, lesson.inclusive))
    if step == 2:
        drelu = lesson.steps[1].arrays["drelu"]
        return (f"dvalues.copy() makes a new {drelu.dtype} array of shape {drelu.shape} holding dvalues' values; "
                f"np.shares_memory(drelu, dvalues) is {np.shares_memory(drelu, lesson.steps[1].arrays['dvalues'])}.")
    error = lesson.steps[2].error
    if error is not None:
        return f"NumPy refuses: {error}"
    return lesson.once("q2", lambda: what_the_assignment_changes(lesson.z, lesson.dvalues, lesson.inclusive))


def drop_fraction(progress: float) -> float:
    """How far the blocked values have dropped toward 0 at animation ``progress`` (0 to 1), eased."""
    p = min(max(progress, 0.0), 1.0)
    return p * p * (3 - 2 * p)


def flash_alpha(progress: float) -> float:
    """The opacity of the mask's flashing outline: three flashes, then steady at the end."""
    p = min(max(progress, 0.0), 1.0)
    return 1.0 if p >= 1.0 else abs(math.sin(3 * math.pi * p))


def paint_code_step(painter: QPainter, rect: QRectF, lesson: Lesson, theme: Theme, step: int,
                    progress: float = 1.0, vector: bool = False) -> PageResult:
    """Line ``step`` (1–3) of the book's code run on the arrays, its panel highlighted.

    On line 3, ``progress`` (0 to 1) animates the assignment: the mask's True cells flash and
    their ``drelu`` values drop to 0; at 1 ``drelu`` is exactly what the line produced.
    """
    result = PageResult()
    s = theme.scale
    steps = lesson.steps
    current = steps[step - 1]
    body = _heading(painter, rect, theme, f"{step} / 3 · {STEP_TITLES[step - 1]}", result)
    left = QRectF(body.left(), body.top(), body.width() * 0.38, body.height())
    right = QRectF(left.right() + 24 * s, body.top(), body.right() - left.right() - 24 * s, body.height())
    code_h = min(left.height() * 0.42, 150 * s)
    _code_box(painter, QRectF(left.left(), left.top(), left.width(), code_h), [st.line for st in steps], theme,
              result, current=step - 1, done_before=step - 1)
    fit_text(painter, QRectF(left.left(), left.top() + code_h + 18 * s, left.width(),
                             left.height() - code_h - 18 * s), step_sentence(lesson, step), 21 * s, result,
             color=theme.text)
    arrays = current.arrays
    mask_panel = lesson.panel("mask", arrays["mask"], arrays["mask"]) if "mask" in arrays else None
    drelu_panel = None
    targets = None
    if "drelu" in arrays:
        before = steps[1].arrays["drelu"]
        if step == 3 and current.targets is not None:
            targets = current.targets
            if progress >= 1.0:
                drelu_panel = lesson.panel("drelu", arrays["drelu"], targets)
            else:
                dropping = np.array(before, dtype=np.float64 if before.dtype.kind != "f" else before.dtype)
                with np.errstate(all="ignore"):
                    dropping[targets] = dropping[targets] * (1.0 - drop_fraction(progress))
                drelu_panel = lesson.panel("drelu", dropping, np.zeros(before.shape, bool))
        else:
            drelu_panel = lesson.panel("drelu", before, np.zeros(before.shape, bool))
    _paint_panels(painter, right, [
        ("z", lesson.panel("z", arrays["z"]), ""),
        ("dvalues", lesson.panel("dvalues", arrays["dvalues"]), ""),
        ("mask", mask_panel, "mask: not defined yet (line 1 makes it)"),
        ("drelu", drelu_panel, "drelu: not defined yet (line 2 makes it)"),
    ], theme, result, 2, vector, highlight=current.produces)
    if targets is not None:
        alpha = flash_alpha(progress)
        _outline_cells(painter, result, "mask", targets, theme.accent, theme, alpha)
        _outline_cells(painter, result, "drelu", targets, theme.accent, theme, alpha)
    return result


def paint_why_copy(painter: QPainter, rect: QRectF, lesson: Lesson, theme: Theme, without: bool = True,
                   vector: bool = False) -> PageResult:
    """``drelu = dvalues`` (``without`` the copy) against ``dvalues.copy()``, run on a scratch pair."""
    result = PageResult()
    s = theme.scale
    demo = lesson.aliasing
    title = "Without .copy(): drelu = dvalues" if without else "With .copy(): drelu = dvalues.copy()"
    body = _heading(painter, rect, theme, f"Why .copy()? · {title}", result)
    lines = (["drelu = dvalues", f"drelu[z {lesson.operator} 0] = 0"] if without
             else ["drelu = dvalues.copy()", f"drelu[z {lesson.operator} 0] = 0"])
    left = QRectF(body.left(), body.top(), body.width() * 0.36, body.height())
    code_h = min(left.height() * 0.3, 100 * s)
    _code_box(painter, QRectF(left.left(), left.top(), left.width(), code_h), lines, theme, result)
    changed = demo.dvalues_changed if without else np.zeros(demo.dvalues_changed.shape, bool)
    shares = demo.shares_memory_without_copy if without else demo.shares_memory_with_copy
    facts = [
        f"drelu is dvalues: {demo.same_object_without_copy if without else False}",
        f"np.shares_memory(drelu, dvalues): {shares}",
        f"dvalues cells changed: {count_text(int(changed.sum()), 'cell')}"
        + (f" ({cells_text(first_true_cells(changed))})" if 0 < changed.sum() <= MAX_LISTED_CELLS else ""),
    ]
    facts_h = fit_text(painter, QRectF(left.left(), left.top() + code_h + 14 * s, left.width(), 110 * s),
                       "\n".join(facts), 19 * s, result, mono=True, color=_WRONG if without and changed.any()
                       else theme.text)
    top = left.top() + code_h + 24 * s + facts_h
    fit_text(painter, QRectF(left.left(), top, left.width(), left.bottom() - top),
             lesson.once("q3", lambda: why_copy(lesson.z, lesson.dvalues, lesson.inclusive))
             + " The demo ran on a scratch copy: the arrays on screen are unchanged.", 17 * s, result, color=theme.text)
    right = QRectF(left.right() + 24 * s, body.top(), body.right() - left.right() - 24 * s, body.height())
    mask = lesson.once("mask", lambda: blocked_mask(lesson.z, lesson.inclusive))
    after = demo.dvalues_after if without else demo.dvalues_before
    _paint_panels(painter, right, [
        ("dvalues_before", lesson.panel("dvalues", demo.dvalues_before, heading="dvalues before"), ""),
        ("dvalues_after", lesson.panel("dvalues", after, heading="dvalues after"), ""),
        ("drelu", lesson.panel("drelu", demo.drelu_without_copy if without else demo.drelu_with_copy, mask), ""),
        ("mask", lesson.panel("mask", mask, mask), ""),
    ], theme, result, 2, vector, highlight="dvalues_after" if without and changed.any() else None)
    _outline_cells(painter, result, "dvalues_after", changed, _WRONG, theme)
    return result


def paint_zero_boundary(painter: QPainter, rect: QRectF, lesson: Lesson, theme: Theme,
                        vector: bool = False) -> PageResult:
    """``z <= 0`` against ``z < 0``: the cells where they differ, and what ``-0`` and the outline mean."""
    result = PageResult()
    s = theme.scale
    zb = lesson.boundary
    body = _heading(painter, rect, theme, "<= at exactly 0 · where z < 0 would differ", result)
    left = QRectF(body.left(), body.top(), body.width() * 0.3, body.height())
    # Question 4 alone, not all five.
    answer = lesson.once("q4", lambda: zero_answer(lesson.z, lesson.dvalues, lesson.inclusive))
    notes = lesson.once("notes", lambda: negative_zero_notes(lesson.z, lesson.dvalues, lesson.inclusive))
    demo_z = np.array([-1.0, -0.0, 0.0, 2.0])
    demo = (f"For example, z = {np.array2string(demo_z)}:\n"
            f"z <= 0 → {np.array2string(np.less_equal(demo_z, 0))}\n"
            f"z < 0  → {np.array2string(np.less(demo_z, 0))}")
    outlined = " (outlined)" if zb.cells else ""
    text = "\n".join([f"z <= 0 and z < 0 differ here in {count_text(zb.count, 'cell')}{outlined}.", answer,
                      *notes.values()])
    used = fit_text(painter, QRectF(left.left(), left.top(), left.width(), left.height() * 0.66), text, 19 * s,
                    result, color=theme.text)
    fit_text(painter, QRectF(left.left(), left.top() + used + 16 * s, left.width(),
                             left.bottom() - left.top() - used - 16 * s), demo, 17 * s, result, mono=True,
             color=theme.text)
    right = QRectF(left.right() + 24 * s, body.top(), body.right() - left.right() - 24 * s, body.height())
    strict_mask = blocked_mask(lesson.z, False)
    inclusive_mask = blocked_mask(lesson.z, True)
    _paint_panels(painter, right, [
        ("z", lesson.panel("z", lesson.z), ""),
        ("mask_inclusive", lesson.panel("mask", inclusive_mask, inclusive_mask, heading="mask = z <= 0"), ""),
        ("drelu_inclusive", lesson.panel("drelu", zb.drelu_inclusive, inclusive_mask, heading="drelu, z <= 0"), ""),
        ("dvalues", lesson.panel("dvalues", lesson.dvalues), ""),
        ("mask_strict", lesson.panel("mask", strict_mask, strict_mask, heading="mask = z < 0"), ""),
        ("drelu_strict", lesson.panel("drelu", zb.drelu_strict, strict_mask, heading="drelu, z < 0"), ""),
    ], theme, result, 3, vector)
    for name in ("mask_inclusive", "mask_strict", "drelu_inclusive", "drelu_strict"):
        _outline_cells(painter, result, name, zb.differs, theme.accent, theme)
    return result


def _paint_dimension_picture(painter: QPainter, rect: QRectF, target_shape: tuple[int, ...],
                             mask_shape: tuple[int, ...], theme: Theme, result: PageResult) -> None:
    """One row per mask axis: drelu's size beside the mask's, green where equal, red where not."""
    s = theme.scale
    rows = dimension_match(target_shape, mask_shape)
    longest = max([m for _, _, m in rows] + [t or 0 for _, t, _ in rows] + [1])
    row_h = min(rect.height() / max(1, 2 * len(rows)), 40 * s)
    label_w = rect.width() * 0.42
    for k, (axis, target, size) in enumerate(rows):
        ok = target == size
        for j, (who, n) in enumerate((("drelu", target), ("mask", size))):
            y = rect.top() + (2 * k + j) * row_h
            label = f"{who} axis {axis}: {'none' if n is None else n}"
            fit_text(painter, QRectF(rect.left(), y, label_w, row_h), label, min(17 * s, row_h * 0.7), result,
                     mono=True, color=theme.text, wrap=False,
                     align=Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            bar = QRectF(rect.left() + label_w, y + row_h * 0.2, (rect.width() - label_w) * (n or 0) / longest,
                         row_h * 0.6)
            painter.fillRect(bar, _RIGHT if ok else _WRONG)
            count = n or 0
            if count and bar.width() / count >= 4 * s:  # one tick per index, while they are visible
                painter.setPen(QPen(theme.background, max(1.0, s)))
                for i in range(1, count):
                    x = bar.left() + bar.width() * i / count
                    painter.drawLine(QPointF(x, bar.top()), QPointF(x, bar.bottom()))


def _outcome_line(outcome: IndexOutcome) -> str:
    value = "a scalar" if outcome.value_shape == () else f"a value of shape {outcome.value_shape}"
    head = f"{outcome.expression}  (mask {outcome.mask_shape}, {value})"
    if outcome.ok and len(outcome.mask_shape) < len(outcome.target_shape):
        head += f"\n   a {outcome.mask_shape} mask selects whole rows"
    if not outcome.ok:
        return f"{head}\n   → {outcome.error_text}"
    assert outcome.result is not None
    shown = np.array2string(outcome.result, separator=", ").replace("\n", "\n" + " " * 19)
    return f"{head}\n   → works: drelu = {shown}"


def paint_shapes(painter: QPainter, rect: QRectF, lesson: Lesson, theme: Theme,
                 z_shape: tuple[int, int] | None = None, dvalues_shape: tuple[int, int] | None = None,
                 vector: bool = False) -> PageResult:
    """The boolean index's shape rule on a scratch pair, with NumPy's own error and what broadcasts.

    Without shapes, ``z`` gets one more column than ``dvalues`` (the smallest mismatch).
    """
    result = PageResult()
    s = theme.scale
    shape = lesson.dvalues.shape
    if dvalues_shape is None:
        dvalues_shape = shape
    if z_shape is None:
        z_shape = (dvalues_shape[0], dvalues_shape[1] + 1) if dvalues_shape == shape else shape
    outcome = scratch_pair_outcome(lesson.z, lesson.dvalues, z_shape, dvalues_shape, lesson.inclusive)
    body = _heading(painter, rect, theme, "Shapes · the mask must match what it indexes", result)
    left = QRectF(body.left(), body.top(), body.width() * 0.48, body.height())
    code = [f"z.shape = {tuple(z_shape)}   dvalues.shape = {tuple(dvalues_shape)}",
            "drelu = dvalues.copy()", f"drelu[z {lesson.operator} 0] = 0"]
    code_h = min(left.height() * 0.3, 110 * s)
    _code_box(painter, QRectF(left.left(), left.top(), left.width(), code_h), code, theme, result)
    said = (f"NumPy says: {outcome.error_text}" if not outcome.ok else
            f"NumPy accepts it: the mask {outcome.mask_shape} matches drelu {outcome.target_shape}.")
    top = left.top() + code_h + 12 * s
    used = fit_text(painter, QRectF(left.left(), top, left.width(), left.height() * 0.3), said, 19 * s, result,
                    mono=True, color=_WRONG if not outcome.ok else theme.text)
    top += used + 14 * s
    _paint_dimension_picture(painter, QRectF(left.left(), top, left.width(), left.bottom() - top - 60 * s),
                             outcome.target_shape, outcome.mask_shape, theme, result)
    fit_text(painter, QRectF(left.left(), left.bottom() - 56 * s, left.width(), 56 * s),
             "A boolean index does not broadcast: each mask axis must equal the drelu axis it indexes. "
             "The assigned value does broadcast.", 15 * s, result, color=theme.muted)
    right = QRectF(left.right() + 28 * s, body.top(), body.right() - left.right() - 28 * s, body.height())
    demos = shape_demos(*shape) if len(shape) == 2 and min(shape) > 0 and shape[0] * shape[1] <= 64 else \
        shape_demos()
    rows, cols = next(iter(demos.values())).target_shape
    lines = [f"On a {rows}×{cols} drelu:"] + [_outcome_line(demos[k]) for k in
                                               ("scalar", "row_value", "row_mask_broadcast_attempt", "mismatch")]
    fit_text(painter, right, "\n\n".join(lines), 16 * s, result, mono=True, color=theme.text)
    result.texts.append(outcome.error_text or "")
    return result


def paint_forms(painter: QPainter, rect: QRectF, lesson: Lesson, theme: Theme, vector: bool = False) -> PageResult:
    """The book's lines, ``np.where`` and a multiply side by side, checked cell by cell."""
    result = PageResult()
    s = theme.scale
    forms = lesson.once("forms", lambda: compare_forms(lesson.z, lesson.dvalues, lesson.inclusive))
    body = _heading(painter, rect, theme, "Equivalent forms · where they agree and where not", result)
    book = forms["book"]
    panels: list[tuple[str, PanelData | None, str]] = []
    mask = lesson.once("mask", lambda: blocked_mask(lesson.z, lesson.inclusive))
    summaries = []
    for name in ("book", "where", "multiply"):
        entry = forms[name]
        form = entry if name == "book" else entry.form  # type: ignore[union-attr]
        values = form.result  # type: ignore[union-attr]
        blocked = mask if name == "book" else np.zeros(mask.shape, bool)
        panels.append((name, None if values is None else lesson.panel("drelu" if name == "book" else "dvalues",
                                                                      values, blocked, heading=name),
                       form.error or ""))  # type: ignore[union-attr]
        if name != "book":
            comparison = entry
            n = comparison.count  # type: ignore[union-attr]
            verdict = ("identical to the book's, bit for bit" if comparison.identical  # type: ignore[union-attr]
                       else f"differs in {count_text(n, 'cell')}")
            shown = comparison.disagreements[:3]  # type: ignore[union-attr]
            reasons = "; ".join(f"{cells_text([c])}: {why}" for c, _, _, why in shown)
            if n > len(shown) and shown:
                reasons += f"; and {n - len(shown)} more"
            warned = f" NumPy warned: {', '.join(form.warnings)}." if form.warnings else ""  # type: ignore[union-attr]
            summaries.append(f"{form.expression}: {verdict}{'. ' + reasons if reasons else ''}.{warned}")
    text_h = body.height() * 0.34
    panels_rect = QRectF(body.left(), body.top(), body.width(), body.height() - text_h - 12 * s)
    _paint_panels(painter, panels_rect, panels, theme, result, 3, vector)
    if book.result is not None:  # type: ignore[union-attr]
        for name in ("where", "multiply"):
            wrong = forms[name].differs  # type: ignore[union-attr]
            if wrong is not None:
                _outline_cells(painter, result, name, wrong, _WRONG, theme)
    fit_text(painter, QRectF(body.left(), body.bottom() - text_h, body.width(), text_h),
             "\n".join([f"book: {book.expression}", *summaries]), 18 * s, result, mono=True,  # type: ignore[union-attr]
             color=theme.text)
    return result


def paint_python_calls(painter: QPainter, rect: QRectF, lesson: Lesson, theme: Theme,
                       vector: bool = False) -> PageResult:
    """The special-method calls Python makes for the lines, recorded at run time."""
    result = PageResult()
    s = theme.scale
    body = _heading(painter, rect, theme, "How Python makes this syntax work", result)
    lines = []
    for call, line in zip(lesson.calls, [st.line for st in lesson.steps], strict=False):
        # A named argument is shown with its name (mask = bool array ...); a literal is its own name.
        args = ", ".join(f"{a} = {t}" if a.isidentifier() else t
                         for a, t in zip(call.arguments, call.argument_types, strict=True))
        lines.append(f"{line}\n  Python calls {call.text}\n  {('with ' + args + ';  ') if args else ''}"
                     f"returns {call.result}")
    fit_text(painter, QRectF(body.left(), body.top(), body.width(), body.height() * 0.78),
             "\n\n".join(lines), 22 * s, result, mono=True, color=theme.text)
    fit_text(painter, QRectF(body.left(), body.top() + body.height() * 0.8, body.width(), body.height() * 0.2),
             "Comparison and indexing are method calls on the array: ndarray's __le__ builds the boolean array, "
             "its __setitem__ writes the scalar into the True cells. These calls were recorded while the lines ran.",
             17 * s, result, color=theme.muted)
    return result


def paint_questions(painter: QPainter, rect: QRectF, lesson: Lesson, theme: Theme,
                    vector: bool = False) -> PageResult:
    """The five questions with their answers for these arrays."""
    result = PageResult()
    s = theme.scale
    body = _heading(painter, rect, theme, "Five questions, answered from these arrays", result)
    block_h = body.height() / 5
    for i, (question, answer) in enumerate(lesson.answers):
        box = QRectF(body.left(), body.top() + i * block_h, body.width(), block_h - 6 * s)
        q_h = fit_text(painter, QRectF(box.left(), box.top(), box.width(), box.height() * 0.3), f"{i + 1}. {question}",
                       18 * s, result, bold=True, color=theme.text, wrap=False)
        fit_text(painter, QRectF(box.left() + 22 * s, box.top() + q_h + 2 * s, box.width() - 22 * s,
                                 box.height() - q_h - 2 * s), answer, 15 * s, result, color=theme.text)
    return result
