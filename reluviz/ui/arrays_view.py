"""The Arrays view: four linked heatmaps — z, dvalues (editable), mask and drelu (live).

It shows an :class:`~reluviz.core.arrays_document.ArraysDocument` in four :class:`HeatmapPanel`
widgets, keeps the shared zoom/pan, and turns what the user does into undoable commands on a
``QUndoStack``. It holds no document state of its own: the arrays, the operator, the colormap,
the colour ranges and the precision are read from the document and repainted on its events,
whoever changed them. Nothing is computed here but which rectangles to repaint.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from reluviz.core.arrays_document import ArraysDocument
from reluviz.core.presets import PRESETS, preset_arrays
from reluviz.render.heatmap import PanelData, ViewState
from reluviz.render.theme import LIGHT, Theme
from reluviz.ui.arrays_edits import ArraysEdits
from reluviz.ui.arrays_toolbar import ArraysToolbar
from reluviz.ui.heatmap_panel import HeatmapPanel

__all__ = ["ROLES", "ArraysView"]

ROLES = ("z", "dvalues", "mask", "drelu")


class ArraysView(ArraysEdits, QWidget):
    """Four linked heatmaps with the controls that shape and fill them.

    The edits (typing, nudging, presets, paste, ...) are in :class:`~reluviz.ui.arrays_edits.ArraysEdits`,
    the control row in :class:`~reluviz.ui.arrays_toolbar.ArraysToolbar`.

    Parameters
    ----------
    document : ArraysDocument
        The arrays and their look (colormap, colour ranges, precision): what is shown, and what
        every control writes to.
    undo_stack : QUndoStack, optional
        Where edits are recorded; a private one when omitted.
    """

    status_message = Signal(str)
    error_message = Signal(str)
    file_dropped = Signal(str, str)  # role, path: the main window opens it

    def __init__(self, document: ArraysDocument, undo_stack: QUndoStack | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("arrays_view")
        self.document = document
        self.undo_stack = undo_stack or QUndoStack(self)
        self.theme: Theme = LIGHT
        self.view_state = ViewState()
        self.nudge_step = 0.1
        self.selection: tuple[int, int] | None = (0, 0)
        # The other corner of a Shift-selected block; None when one cell is selected.
        self.anchor: tuple[int, int] | None = None
        self.edit_target = "z"
        # The panel the user last clicked (copy reads from it; mask and drelu can be copied too).
        self.active_role = "z"
        self.hover: tuple[int, int] | None = None
        self._version = 0
        self._shown_preset: str | None = None
        # What rows and columns mean, when known (a batch: samples × units); reset by any
        # whole-array change, set again by the paths that know (a preset, a network layer).
        self.axis_names: tuple[str, str] | None = None
        # Whether z's panel shows the "exactly 0" legend: repainted when an edit changes it.
        self._zero_legend_shown = self.document.z_exact_zeros > 0
        self._init_edits()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.controls = ArraysToolbar(self)
        # The controls by the names the window, its menus and the tests use.
        bar = self.controls
        self.preset_combo, self.rows_spin, self.cols_spin, self.seed_spin = (
            bar.preset_combo, bar.rows_spin, bar.cols_spin, bar.seed_spin)
        self.inclusive_combo, self.colormap_combo, self.precision_spin, self.step_spin = (
            bar.inclusive_combo, bar.colormap_combo, bar.precision_spin, bar.step_spin)
        layout.addWidget(self.controls)
        layout.addLayout(self._build_panels(), 1)
        self._recognise_preset()
        events = self.document.events
        events.cell.connect(self._on_document_cell_changed)
        events.arrays.connect(self._on_document_arrays_changed)
        events.inclusive.connect(self._on_document_inclusive_changed)
        events.colormap.connect(self._on_document_colormap_changed)
        events.ranges.connect(self._on_document_ranges_changed)
        events.precision.connect(self._on_document_precision_changed)
        self._sync_selection_marks()

    def _build_panels(self) -> QGridLayout:
        self.panels: dict[str, HeatmapPanel] = {}
        grid = QGridLayout()
        grid.setSpacing(6)
        for index, role in enumerate(ROLES):
            panel = HeatmapPanel(role, lambda r=role: self.panel_data(r), self.view_state,
                                 lambda: self.theme, self)
            panel.cell_clicked.connect(self._on_cell_clicked)
            panel.cell_hovered.connect(self._on_cell_hovered)
            panel.edit_committed.connect(self._on_edit_committed)
            panel.nudged.connect(self._on_nudged)
            panel.nudge_finished.connect(self._on_nudge_finished)
            panel.zoom_requested.connect(self._on_zoom_requested)
            panel.pan_requested.connect(self._on_pan_requested)
            panel.move_requested.connect(self.move_selection)
            panel.fit_requested.connect(self.fit)
            panel.file_dropped.connect(self.file_dropped)
            panel.edit_refused.connect(self._on_edit_refused)
            panel.cell_text = lambda row, col, r=role: self.accessible_cell_text(r, row, col)
            self.panels[role] = panel
            grid.addWidget(panel, index // 2, index % 2)
        for line in (0, 1):
            grid.setRowStretch(line, 1)
            grid.setColumnStretch(line, 1)
        return grid

    # -- what the panels paint ---------------------------------------------------------------------
    def panel_data(self, role: str) -> PanelData:
        """The :class:`PanelData` for one panel, built from the document."""
        doc = self.document
        half_range = doc.z_range if role == "z" else doc.grad_range
        return PanelData(
            role=role,
            values=doc.array(role),
            blocked=doc.mask,
            half_range=half_range,
            cmap=doc.colormap,
            inclusive=doc.inclusive,
            precision=doc.precision,
            version=self._version,
            edits=doc.edits,
            editable=role in ("z", "dvalues"),
            exact_zeros=doc.z_exact_zeros if role == "z" else None,
            axis_names=self.axis_names,
        )

    def accessible_cell_text(self, role: str, row: int, col: int) -> str:
        """What a screen reader says for a cell: e.g. ``z, row 1, column 2: -1.0; mask True; drelu 0``."""
        from reluviz.core.io.cell_value import format_value

        doc = self.document
        value = str(bool(doc.mask[row, col])) if role == "mask" else format_value(doc.array(role)[row, col], 6)
        return (f"{role}, row {row}, column {col}: {value}; mask {bool(doc.mask[row, col])}; "
                f"drelu {format_value(doc.drelu[row, col], 6)}")

    # -- what the user does to the view ----------------------------------------------------------
    def set_theme(self, theme: Theme) -> None:
        """Paint with another theme (light/dark, or a scaled presentation style)."""
        self.theme = theme
        self._repaint_all()

    def move_selection(self, drow: int, dcol: int, extend: bool = False) -> None:
        """Move the selected index (Shift: grow the block), staying inside the array and on screen."""
        rows, cols = self.document.shape
        row, col = self.selection or (0, 0)
        self.select(self.edit_target, min(rows - 1, max(0, row + drow)), min(cols - 1, max(0, col + dcol)),
                    extend=extend, keep_active=True)

    def select(self, role: str, row: int, col: int, extend: bool = False, keep_active: bool = False) -> None:
        """Select index ``(row, col)``; clicking z or dvalues also makes it the edit target.

        With ``extend`` the block from the previous anchor to ``(row, col)`` is selected.
        """
        old_block = self.selected_block()
        if extend:
            if self.anchor is None:
                self.anchor = self.selection
        else:
            self.anchor = None
        if role in ("z", "dvalues"):
            self.edit_target = role
        if not keep_active:
            self.active_role = role
        self.selection = (row, col)
        self._sync_selection_marks()
        new_block = self.selected_block()
        for panel in self.panels.values():
            panel.update_range(range(old_block[0], old_block[1]), range(old_block[2], old_block[3]))
            panel.update_range(range(new_block[0], new_block[1]), range(new_block[2], new_block[3]))
        self._ensure_visible(row, col)
        self.status_message.emit(self.document.describe_cell(row, col))

    def selected_block(self) -> tuple[int, int, int, int]:
        """The selected cells as ``(first_row, stop_row, first_col, stop_col)``."""
        row, col = self.selection or (0, 0)
        other = self.anchor or (row, col)
        return (min(row, other[0]), max(row, other[0]) + 1, min(col, other[1]), max(col, other[1]) + 1)

    # -- sessions --------------------------------------------------------------------------------
    def view_settings(self) -> dict[str, float]:
        """Zoom and pan, as plain numbers for a session file."""
        view = self.view_state
        return {"arrays.fit": 1.0 if view.fit else 0.0, "arrays.cell_w": float(view.cell_w),
                "arrays.cell_h": float(view.cell_h),
                "arrays.origin_row": float(view.origin_row), "arrays.origin_col": float(view.origin_col)}

    def restore_view_settings(self, view: dict[str, float]) -> None:
        """Show a session's zoom and pan (what :meth:`view_settings` wrote), the first cell selected.

        The document itself is restored by :meth:`ArraysDocument.restore`; this is the view's part.
        """
        self.view_state.fit = bool(view.get("arrays.fit", 1.0))
        # "arrays.cell_px" is what square-cell versions wrote.
        square = view.get("arrays.cell_px", self.view_state.cell_w)
        # Zoom limits as the wheel has them: a crafted 0 would divide by zero when painting.
        self.view_state.cell_w = min(400.0, max(0.02, float(view.get("arrays.cell_w", square))))
        self.view_state.cell_h = min(400.0, max(0.02, float(view.get("arrays.cell_h", square))))
        self.view_state.origin_row = float(view.get("arrays.origin_row", 0.0))
        self.view_state.origin_col = float(view.get("arrays.origin_col", 0.0))
        self.selection, self.anchor = (0, 0), None
        self._sync_selection_marks()
        self._repaint_all()

    # -- document events -------------------------------------------------------------------------
    def _recognise_preset(self) -> None:
        """Name the preset in the box if the arrays are exactly one (the app starts on the book's)."""
        for name in PRESETS:
            z, dvalues = preset_arrays(name)
            if z.shape == self.document.z.shape and z.tobytes() == self.document.z.tobytes() \
                    and dvalues.tobytes() == self.document.dvalues.tobytes():
                self._shown_preset = name
                self.controls.show_preset(name)
                return

    def _mark_custom(self) -> None:
        """The arrays no longer are a preset: say so in the preset box."""
        self._shown_preset = None
        self.controls.show_preset(None)

    def _on_document_cell_changed(self, name: str, row: int, col: int) -> None:
        if self._shown_preset is not None:
            self._mark_custom()
        # A range this edit grew arrives as a ranges event right after this one (a full repaint).
        for role in (name, "mask", "drelu"):
            panel = self.panels[role]
            panel.renderer.patch_cell(self.panel_data(role), row, col)
            panel.update_cell(row, col)
        has_zero = self.document.z_exact_zeros > 0
        if has_zero != self._zero_legend_shown:
            self._zero_legend_shown = has_zero
            self.panels["z"].update_legend()
        # Re-describe what the status bar shows (hovered, else selected cell): an undo changes a
        # cell the selection has since left, and its old text would linger.
        described = self.hover or self.selection
        if described is not None:
            self.status_message.emit(self.document.describe_cell(*described))

    def _on_document_arrays_changed(self) -> None:
        self._version += 1
        # load_preset sets the name again right after this; every other change is "your arrays".
        self._mark_custom()
        self.axis_names = None
        cancelled = self._cancel_edits()
        rows, cols = self.document.shape
        if self.selection is not None:
            self.selection = (min(self.selection[0], rows - 1), min(self.selection[1], cols - 1))
        if self.anchor is not None:
            self.anchor = (min(self.anchor[0], rows - 1), min(self.anchor[1], cols - 1))
        self.hover = None
        for panel in self.panels.values():
            panel.hover = None
        self._sync_selection_marks()
        self.controls.sync()
        self._repaint_all()
        if self.selection is not None:
            note = "Edit cancelled: the arrays changed. " if cancelled else ""
            self.status_message.emit(note + self.document.describe_cell(*self.selection))

    def _on_document_inclusive_changed(self) -> None:
        self._version += 1
        if self._cancel_edits():
            self.status_message.emit("Edit cancelled: the operator changed.")
        self.controls.sync()
        self._repaint_all()
        if self.selection is not None:
            self.status_message.emit(self.document.describe_cell(*self.selection))

    def _on_document_colormap_changed(self, name: str) -> None:
        self.controls.sync()
        self._repaint_all()

    def _on_document_ranges_changed(self, _z_range: float, _grad_range: float) -> None:
        self._repaint_all()

    def _on_document_precision_changed(self, _precision: int) -> None:
        self.controls.sync()
        self._repaint_all()

    # -- panel signals ---------------------------------------------------------------------------
    def _on_cell_clicked(self, role: str, row: int, col: int, extend: bool) -> None:
        self.select(role, row, col, extend=extend)

    def _on_cell_hovered(self, role: str, row: int, col: int) -> None:
        old = self.hover
        self.hover = None if row < 0 else (row, col)
        if old == self.hover:
            return
        for panel in self.panels.values():
            panel.hover = self.hover
            if old is not None:
                panel.update_cell(*old)
            if self.hover is not None:
                panel.update_cell(*self.hover)
        if self.hover is not None:
            self.status_message.emit(self.document.describe_cell(*self.hover))
        elif self.selection is not None:
            self.status_message.emit(self.document.describe_cell(*self.selection))

    def _on_edit_committed(self, role: str, row: int, col: int, text: str) -> None:
        panel = self.panels[role]
        rows, cols = self.document.shape
        if not (row < rows and col < cols):  # the array shrank under an open editor
            panel.cancel_edit()
            return
        if self.commit_text(role, row, col, text):
            panel.finish_edit(*panel.pending_move)
            # Say what the typed value did, not what the next cell holds.
            self.status_message.emit(self.document.describe_cell(row, col))

    def _cancel_edits(self) -> bool:
        """Close any open cell editor (its cell may no longer exist); ``True`` if one was open."""
        cancelled = False
        for panel in self.panels.values():
            if panel.is_editing:
                panel.cancel_edit()
                cancelled = True
        return cancelled

    def _on_nudged(self, role: str, row: int, col: int, steps: float, finished: bool) -> None:
        self.nudge(role, row, col, steps, finished=finished)

    def _on_nudge_finished(self) -> None:
        self._gesture_open = False

    def _on_zoom_requested(self, factor: float, anchor: QPointF) -> None:
        panel = self.panels["z"]
        current = panel.resolved_view()
        # The resolved view is in screen pixels (presentation style draws at theme.scale); the
        # shared view state is at scale 1, so what is stored is divided by the scale.
        scale = self.theme.scale
        # Clamp the zoom so the smaller side stays in 0.02..400 px, keeping the aspect of the cells.
        factor = min(factor, 400.0 * scale / max(current.cell_w, current.cell_h))
        factor = max(factor, 0.02 * scale / min(current.cell_w, current.cell_h))
        self.view_state.fit = False
        self.view_state.cell_w = current.cell_w * factor / scale
        self.view_state.cell_h = current.cell_h * factor / scale
        self.view_state.origin_col = anchor.x() - (anchor.x() - current.origin_col) / factor
        self.view_state.origin_row = anchor.y() - (anchor.y() - current.origin_row) / factor
        self._repaint_all(keep_cache=True)

    def _on_pan_requested(self, drows: float, dcols: float) -> None:
        current = self.panels["z"].resolved_view()
        self.view_state.fit = False
        scale = self.theme.scale
        self.view_state.cell_w, self.view_state.cell_h = current.cell_w / scale, current.cell_h / scale
        self.view_state.origin_row = current.origin_row + drows
        self.view_state.origin_col = current.origin_col + dcols
        self._repaint_all(keep_cache=True)

    # -- helpers ---------------------------------------------------------------------------------
    def _ensure_visible(self, row: int, col: int) -> None:
        panel = self.panels["z"]
        if self.view_state.fit:
            return
        plot = panel.plot_rect()
        box = panel.cell_rect(row, col)
        if plot.contains(box):
            return
        view = panel.resolved_view()
        if box.left() < plot.left():
            self.view_state.origin_col = col
        elif box.right() > plot.right():
            self.view_state.origin_col = col + 1 - plot.width() / view.cell_w
        if box.top() < plot.top():
            self.view_state.origin_row = row
        elif box.bottom() > plot.bottom():
            self.view_state.origin_row = row + 1 - plot.height() / view.cell_h
        self._repaint_all(keep_cache=True)

    def _sync_selection_marks(self) -> None:
        block = self.selected_block() if self.anchor is not None else None
        for role, panel in self.panels.items():
            panel.selection = self.selection
            panel.selection_range = block
            panel.selection_is_here = role == self.edit_target

    def _repaint_all(self, keep_cache: bool = False) -> None:
        self._zero_legend_shown = self.document.z_exact_zeros > 0
        for panel in self.panels.values():
            if not keep_cache:
                panel.renderer.invalidate()
            panel.update()


