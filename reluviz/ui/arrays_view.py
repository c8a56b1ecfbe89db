"""The Arrays view: four linked heatmaps — z, dvalues (editable), mask and drelu (live).

It connects the :class:`~reluviz.core.explorer.ExplorerModel` to four :class:`HeatmapPanel`
widgets, keeps the shared zoom/pan and colour ranges, and turns what the user does into undoable
commands on a ``QUndoStack``. All numbers come from the model; nothing is computed here but
which rectangles to repaint.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from reluviz.core.colour import COLORMAPS, DEFAULT_COLORMAP, grow_range
from reluviz.core.explorer import (
    EDITABLE,
    MAX_SIDE,
    ExplorerModel,
    ReshapeQuestion,
    ShapeError,
    fit_to_shape,
    validate_pair,
)
from reluviz.core.io.cell_value import CellValueError, cast_block, negated, nudged_value, parse_cell_value
from reluviz.core.io.limits import InputError
from reluviz.core.io.paste import AmbiguousCommaError, format_block, parse_pasted_block
from reluviz.core.io.session import widened_range
from reluviz.core.presets import PRESETS, preset_arrays, random_arrays
from reluviz.render.heatmap import PanelData, ViewState
from reluviz.render.theme import LIGHT, Theme
from reluviz.ui.heatmap_panel import HeatmapPanel

__all__ = ["ROLES", "ArraysView"]

ROLES = ("z", "dvalues", "mask", "drelu")
_NUDGE_MERGE_ID = 1001


class _SetCellCommand(QUndoCommand):
    """One cell of z or dvalues changed; nudges of one gesture merge into one step."""

    def __init__(self, view: ArraysView, name: str, row: int, col: int, old: np.generic,
                 new: np.generic, gesture: int | None) -> None:
        super().__init__(f"Set {name}[{row}, {col}]")
        self._view, self._name, self._row, self._col = view, name, row, col
        self._old, self._new = old, new
        self._gesture = gesture

    def id(self) -> int:
        return _NUDGE_MERGE_ID if self._gesture is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt API)
        if not isinstance(other, _SetCellCommand) or other._gesture != self._gesture:
            return False
        if (other._name, other._row, other._col) != (self._name, self._row, self._col):
            return False
        self._new = other._new
        return True

    def redo(self) -> None:
        self._view.apply_cell(self._name, self._row, self._col, self._new)

    def undo(self) -> None:
        self._view.apply_cell(self._name, self._row, self._col, self._old)


class _ReplaceArraysCommand(QUndoCommand):
    """Both arrays replaced at once (preset, resize, randomize, fill, file)."""

    def __init__(self, view: ArraysView, text: str, before: tuple[np.ndarray, np.ndarray],
                 after: tuple[np.ndarray, np.ndarray], refit: bool) -> None:
        super().__init__(text)
        self._view, self._before, self._after, self._refit = view, before, after, refit

    def held_arrays(self) -> list[np.ndarray]:
        return [*self._before, *self._after]

    def release(self) -> None:
        empty = np.empty((0, 0))
        self._before = self._after = (empty, empty)

    def redo(self) -> None:
        self._view.apply_arrays(*self._after, refit=self._refit)

    def undo(self) -> None:
        self._view.apply_arrays(*self._before, refit=self._refit)


class _SetBlockCommand(QUndoCommand):
    """A pasted block: stores only the cells it replaced."""

    def __init__(self, view: ArraysView, name: str, row: int, col: int, old: np.ndarray, new: np.ndarray) -> None:
        super().__init__(f"Paste {new.shape[0]}×{new.shape[1]} into {name}[{row}, {col}]")
        self._view, self._name, self._row, self._col = view, name, row, col
        self._old, self._new = old, new

    def held_arrays(self) -> list[np.ndarray]:
        return [self._old, self._new]

    def release(self) -> None:
        empty = np.empty((0, 0))
        self._old = self._new = empty

    def redo(self) -> None:
        self._view.model.set_block(self._name, self._row, self._col, self._new)

    def undo(self) -> None:
        self._view.model.set_block(self._name, self._row, self._col, self._old)


class _RangesCommand(QUndoCommand):
    """Fit the colour ranges to the data (a range only ever shrinks through this)."""

    def __init__(self, view: ArraysView, before: tuple[float, float], after: tuple[float, float]) -> None:
        super().__init__("Fit colour ranges")
        self._view, self._before, self._after = view, before, after

    def redo(self) -> None:
        self._view.apply_ranges(*self._after)

    def undo(self) -> None:
        self._view.apply_ranges(*self._before)


class _OperatorCommand(QUndoCommand):
    def __init__(self, view: ArraysView, inclusive: bool) -> None:
        super().__init__("Use z <= 0" if inclusive else "Use z < 0")
        self._view, self._inclusive = view, inclusive

    def redo(self) -> None:
        self._view.apply_operator(self._inclusive)

    def undo(self) -> None:
        self._view.apply_operator(not self._inclusive)


class ArraysView(QWidget):
    """Four linked heatmaps with the controls that shape and fill them.

    Parameters
    ----------
    model : ExplorerModel, optional
        The arrays to show; the book's example when omitted.
    undo_stack : QUndoStack, optional
        Where edits are recorded; a private one when omitted.
    """

    status_message = Signal(str)
    error_message = Signal(str)
    file_dropped = Signal(str, str)  # role, path: the main window opens it
    colormap_changed = Signal(str)

    def __init__(self, model: ExplorerModel | None = None, undo_stack: QUndoStack | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("arrays_view")
        self.model = model or ExplorerModel()
        self.undo_stack = undo_stack or QUndoStack(self)
        self.theme: Theme = LIGHT
        self.view_state = ViewState()
        self.colormap = DEFAULT_COLORMAP
        self.significant = 3
        self.nudge_step = 0.1
        self.z_range, self.grad_range = self.model.fitted_ranges()
        self.selection: tuple[int, int] | None = (0, 0)
        # The other corner of a Shift-selected block; None when one cell is selected.
        self.anchor: tuple[int, int] | None = None
        self.edit_target = "z"
        # The panel the user last clicked (copy reads from it; mask and drelu can be copied too).
        self.active_role = "z"
        # Asked before a paste grows the arrays; the main window shows a dialog. Tests set it.
        self.confirm_resize: Callable[[str], bool] = lambda _question: False
        # Asked when a paste's commas read two ways ("1,000": 1000 or 1.0); returns the chosen
        # reading, or None to refuse. The main window shows a dialog. Tests set it.
        self.choose_comma_reading: Callable[[AmbiguousCommaError], np.ndarray | None] = lambda _error: None
        # Asked before an opened or pasted array of another shape reshapes the other array: the
        # answer is the fill value for new cells as typed ("0"), or None to cancel. The main
        # window shows a dialog; tests set it.
        self.confirm_reshape: Callable[[ReshapeQuestion], str | None] = lambda _question: None
        # What the last open/whole-array paste did to the other array ("" when nothing).
        self.last_reshape_note = ""
        self.hover: tuple[int, int] | None = None
        self._version = 0
        self._gesture = 0
        self._gesture_open = False
        self._refit_next = False
        self._shown_preset: str | None = None
        # What rows and columns mean, when known (a batch: samples × units); reset by any
        # whole-array change, set again by the paths that know (a preset, a network layer).
        self.axis_names: tuple[str, str] | None = None
        # Where Randomize draws a new seed from (tests make it predictable); the last seed used.
        self.new_seed: Callable[[], int] = lambda: secrets.randbelow(2**31)
        self.last_seed: int | None = None
        # Whether z's panel shows the "exactly 0" legend: repainted when an edit changes it.
        self._zero_legend_shown = self.model.z_exact_zeros > 0

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
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.controls = self._build_controls()
        layout.addWidget(self.controls)
        layout.addLayout(grid, 1)
        self._recognise_preset()
        self.model.events.cell.connect(self._on_model_cell_changed)
        self.model.events.arrays.connect(self._on_model_arrays_changed)
        self.model.events.operator.connect(self._on_model_operator_changed)
        self._sync_selection_marks()

    # -- controls --------------------------------------------------------------------------------
    def _build_controls(self) -> QWidget:
        # Controls that wrap onto a second (third) row when the width runs out: a QToolBar here,
        # outside a main window's tool bar area, hid them behind an » button that opened nothing.
        # Every control is also in the main window's Arrays menu.
        from PySide6.QtWidgets import QFrame

        from reluviz.ui.flow_layout import flow_widget

        bar, row = flow_widget(self)
        bar.setObjectName("array_controls")

        def separator() -> QFrame:
            line = QFrame(bar)
            line.setFrameShape(QFrame.Shape.VLine)
            line.setFrameShadow(QFrame.Shadow.Sunken)
            return line

        self.preset_combo = QComboBox(objectName="preset_combo")
        self.preset_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.preset_combo.setMinimumContentsLength(14)
        self.preset_combo.addItem("(your arrays)", None)
        for preset in PRESETS.values():
            self.preset_combo.addItem(preset.label, preset.name)
            self.preset_combo.setItemData(self.preset_combo.count() - 1, preset.description,
                                          Qt.ItemDataRole.ToolTipRole)
        self.preset_combo.activated.connect(self._on_preset_activated)
        row.addWidget(QLabel("Preset"))
        row.addWidget(self.preset_combo)

        self.rows_spin = QSpinBox(objectName="rows_spin")
        self.cols_spin = QSpinBox(objectName="cols_spin")
        for spin in (self.rows_spin, self.cols_spin):
            # Up to 99999 can be typed so a too-large size gets a message instead of a silent clamp.
            spin.setRange(1, 99999)
            spin.setKeyboardTracking(False)
            spin.setToolTip(f"1 to {MAX_SIDE}")
            spin.editingFinished.connect(self._on_shape_edited)
        row.addWidget(separator())
        row.addWidget(QLabel("Shape"))
        row.addWidget(self.rows_spin)
        row.addWidget(QLabel("×"))
        row.addWidget(self.cols_spin)

        self.seed_spin = QSpinBox(objectName="seed_spin")
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setPrefix("seed ")
        randomize = QPushButton("Randomize", objectName="randomize_button")
        randomize.clicked.connect(self.randomize_new)
        self.seed_spin.editingFinished.connect(self._on_seed_edited)
        row.addWidget(separator())
        row.addWidget(self.seed_spin)
        row.addWidget(randomize)

        self.operator_combo = QComboBox(objectName="operator_combo")
        self.operator_combo.addItem("mask = z <= 0  (book)", True)
        self.operator_combo.addItem("mask = z < 0", False)
        self.operator_combo.setToolTip("Ctrl+< toggles: see what happens at exactly 0")
        self.operator_combo.activated.connect(
            lambda index: self.set_inclusive(bool(self.operator_combo.itemData(index))))
        row.addWidget(separator())
        row.addWidget(self.operator_combo)

        self.colormap_combo = QComboBox(objectName="colormap_combo")
        self.colormap_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.colormap_combo.setMinimumContentsLength(10)
        for cmap in COLORMAPS.values():
            self.colormap_combo.addItem(cmap.label, cmap.name)
        self.colormap_combo.activated.connect(
            lambda index: self.set_colormap(self.colormap_combo.itemData(index)))
        row.addWidget(self.colormap_combo)

        self.digits_spin = QSpinBox(objectName="digits_spin")
        self.digits_spin.setRange(1, 12)
        self.digits_spin.setValue(self.significant)
        self.digits_spin.setSuffix(" digits")
        self.digits_spin.valueChanged.connect(self.set_significant)
        row.addWidget(self.digits_spin)

        self.step_spin = QDoubleSpinBox(objectName="nudge_step_spin")
        self.step_spin.setDecimals(4)
        self.step_spin.setRange(0.0001, 1000.0)
        self.step_spin.setValue(self.nudge_step)
        self.step_spin.setPrefix("±")
        self.step_spin.setToolTip("Ctrl+wheel or Ctrl+drag on a cell changes it by this step")
        self.step_spin.valueChanged.connect(self._on_step_changed)
        row.addWidget(self.step_spin)

        fit_button = QPushButton("Fit", objectName="fit_button")
        fit_button.setToolTip("Show the whole array and fit the colour ranges (F)")
        fit_button.clicked.connect(self.fit)
        # Styles pad a button to 80 px: too wide for "Fit" on one 1280-px row with the rest.
        fit_button.setMaximumWidth(fit_button.fontMetrics().horizontalAdvance("Fit") * 2 + 20)
        row.addWidget(fit_button)
        self._sync_controls()
        return bar

    def _sync_controls(self) -> None:
        rows, cols = self.model.shape
        for spin, value in ((self.rows_spin, rows), (self.cols_spin, cols)):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)
        self.operator_combo.setCurrentIndex(0 if self.model.inclusive else 1)
        self.colormap_combo.setCurrentIndex(self.colormap_combo.findData(self.colormap))

    # -- what the panels paint ---------------------------------------------------------------------
    def panel_data(self, role: str) -> PanelData:
        """The :class:`PanelData` for one panel, built from the model's current arrays."""
        model = self.model
        half_range = self.z_range if role == "z" else self.grad_range
        return PanelData(
            role=role,
            values=model.array(role),
            blocked=model.mask,
            half_range=half_range,
            cmap=self.colormap,
            inclusive=model.inclusive,
            significant=self.significant,
            version=self._version,
            edits=model.edits,
            editable=role in ("z", "dvalues"),
            exact_zeros=model.z_exact_zeros if role == "z" else None,
            axis_names=self.axis_names,
        )

    def accessible_cell_text(self, role: str, row: int, col: int) -> str:
        """What a screen reader says for a cell: e.g. ``z, row 1, column 2: -1.0; mask True; drelu 0``."""
        from reluviz.core.io.cell_value import format_value

        model = self.model
        value = str(bool(model.mask[row, col])) if role == "mask" else format_value(model.array(role)[row, col], 6)
        return (f"{role}, row {row}, column {col}: {value}; mask {bool(model.mask[row, col])}; "
                f"drelu {format_value(model.drelu[row, col], 6)}")

    # -- user actions ----------------------------------------------------------------------------
    def commit_text(self, name: str, row: int, col: int, text: str) -> bool:
        """Parse ``text`` into ``name[row, col]``; on success push an undoable edit.

        Returns
        -------
        bool
            ``True`` if the value was accepted; otherwise the panel shows the message and nothing
            changes.
        """
        if name not in EDITABLE:
            self._on_edit_refused(name)
            return False
        target = self.model.array(name)
        try:
            value = parse_cell_value(text, target.dtype)
        except CellValueError as error:
            self.panels[name].show_error(str(error))
            self.error_message.emit(f"{name}[{row}, {col}]: {error}")
            return False
        old = target[row, col].copy()
        if _same_bits(old, value):
            return True
        self._push_cell(name, row, col, old, value, None)
        return True

    def nudge(self, name: str, row: int, col: int, steps: float, *, finished: bool = True) -> None:
        """Change ``name[row, col]`` by ``steps`` nudge steps (a wheel notch or drag increment).

        Consecutive nudges of one gesture (a drag, or a burst of wheel notches) are one undo step.
        """
        if name not in EDITABLE:
            self._on_edit_refused(name)
            return
        rows, cols = self.model.shape
        if not (0 <= row < rows and 0 <= col < cols):
            return  # the arrays shrank under a gesture still in progress
        target = self.model.array(name)
        old = target[row, col].copy()
        value = nudged_value(old, steps, self.nudge_step)
        if value is None or _same_bits(old, value):
            return  # nan/inf, an overflow, or a fraction of an integer step: nothing to record
        if not self._gesture_open:
            self._gesture += 1
            self._gesture_open = True
        self._push_cell(name, row, col, old, value, self._gesture)
        if finished:
            self._gesture_open = False

    def _push_cell(self, name: str, row: int, col: int, old: np.generic, value: np.generic,
                   gesture: int | None) -> None:
        """Push a one-cell edit, checked first: a command whose redo could fail never reaches the stack.

        (A failing redo inside ``QUndoStack.push`` leaves a broken step behind that raises on every
        Undo/Redo; PySide6 may even crash on a later push.)
        """
        target = self.model.array(name)
        rows, cols = self.model.shape
        if name not in EDITABLE or not (0 <= row < rows and 0 <= col < cols):
            raise ValueError(f"no editable cell {name}[{row}, {col}] in a {rows}×{cols} array")
        if np.asarray(value).dtype != target.dtype or np.asarray(old).dtype != target.dtype:
            raise ValueError(f"{name} holds {target.dtype}, not {np.asarray(value).dtype}")
        self.undo_stack.push(_SetCellCommand(self, name, row, col, old, value, gesture))

    def _on_edit_refused(self, role: str) -> None:
        """A computed panel was typed, nudged or pasted into: say where to edit instead."""
        if role == "mask":
            where = f"mask = z {self.model.operator} 0 is computed from z: edit z to change it."
        else:
            where = ("drelu is computed from dvalues and z: edit dvalues (its values) or z "
                     "(where it is blocked).")
        self.error_message.emit(where)

    def _on_preset_activated(self, index: int) -> None:
        name = self.preset_combo.itemData(index)
        if name is not None:
            self.load_preset(name)

    def load_preset(self, name: str) -> None:
        """Replace both arrays with a preset (undoable) and fit view and colours."""
        z, dvalues = preset_arrays(name)
        if self.replace_arrays(z, dvalues, f"Preset: {PRESETS[name].label}", refit=True):
            self._shown_preset = name
            self.axis_names = PRESETS[name].axis_names
            self.preset_combo.setCurrentIndex(self.preset_combo.findData(name))
            self.status_message.emit(PRESETS[name].description)

    def randomize(self, seed: int) -> None:
        """Fill both arrays with reproducible random values of the current shape (the same seed
        always gives the same arrays); the seed box shows ``seed``."""
        rows, cols = self.model.shape
        z, dvalues = random_arrays(rows, cols, seed)
        if self.replace_arrays(z, dvalues, f"Randomize (seed {seed})", refit=True):
            self.last_seed = seed
            self.seed_spin.blockSignals(True)
            self.seed_spin.setValue(seed)
            self.seed_spin.blockSignals(False)
            self.status_message.emit(f"Randomized with seed {seed}: type that seed into the seed box "
                                     "(and press Enter) to get these arrays again.")

    def randomize_new(self) -> None:
        """The Randomize button: new arrays on every press, with a fresh seed shown in the seed box."""
        seed = self.new_seed()
        if seed == self.last_seed:  # a repeat draw would look like a button that does nothing
            seed = (seed + 1) % 2**31
        self.randomize(seed)

    def _on_seed_edited(self) -> None:
        # A seed typed into the box reproduces its arrays; leaving the box unchanged does nothing.
        shown = self.last_seed if self.last_seed is not None else 0  # the box starts at 0
        if self.seed_spin.value() != shown:
            self.randomize(self.seed_spin.value())

    def resize_arrays(self, rows: int, cols: int) -> bool:
        """Resize both arrays, keeping the overlapping values; refused beyond 4096×4096."""
        try:
            z, dvalues = self.model.resized(rows, cols)
        except ShapeError as error:
            self.error_message.emit(str(error))
            self._sync_controls()
            return False
        if (rows, cols) != self.model.shape:
            self.replace_arrays(z, dvalues, f"Resize to {rows}×{cols}", refit=False)
        return True

    def fill(self, name: str, text: str) -> None:
        """Set every cell of ``name`` to the typed ``text`` (parsed as a cell is; refused if it does not fit)."""
        try:
            value = parse_cell_value(str(text), self.model.array(name).dtype)
        except CellValueError as error:
            self.error_message.emit(str(error))
            return
        self._transform(name, lambda a: np.full_like(a, value), f"Fill {name} with {text}")

    def negate(self, name: str) -> None:
        """Flip the sign of every cell of ``name`` (refused where the dtype has no negative)."""
        try:
            flipped = negated(self.model.array(name))
        except CellValueError as error:
            self.error_message.emit(str(error))
            return
        self._transform(name, lambda _a: flipped, f"Negate {name}")

    def zero(self, name: str) -> None:
        """Set every cell of ``name`` to 0."""
        self._transform(name, np.zeros_like, f"Zero {name}")

    def _transform(self, name: str, function: Callable[[np.ndarray], np.ndarray], label: str) -> None:
        target = self.model.array(name)
        new = np.asarray(function(target), dtype=target.dtype)
        z, dvalues = (new, self.model.dvalues) if name == "z" else (self.model.z, new)
        self.replace_arrays(z, dvalues, label, refit=False)

    def replace_arrays(self, z: np.ndarray, dvalues: np.ndarray, label: str, refit: bool) -> bool:
        """Push an undoable replacement of both arrays; refused shapes give a message.

        The view takes ownership of ``z`` and ``dvalues``: pass arrays nobody else will modify
        (presets, file loads and transforms make fresh ones).
        """
        try:
            validate_pair(z, dvalues)  # before anything changes
        except ShapeError as error:
            self.error_message.emit(str(error))
            return False
        # No copy needed: the model copies what it installs and never writes to arrays it replaced.
        before = (self.model.z, self.model.dvalues)
        self.undo_stack.push(_ReplaceArraysCommand(self, label, before, (z, dvalues), refit))
        return True

    def set_inclusive(self, inclusive: bool) -> None:
        """Switch the mask between ``z <= 0`` and ``z < 0`` (undoable)."""
        if inclusive != self.model.inclusive:
            self.undo_stack.push(_OperatorCommand(self, inclusive))

    def toggle_operator(self) -> None:
        """Flip between ``z <= 0`` and ``z < 0``."""
        self.set_inclusive(not self.model.inclusive)

    def set_colormap(self, name: str) -> None:
        """Use another diverging colormap for z, dvalues and drelu."""
        if name in COLORMAPS:
            self.colormap = name
            self._sync_controls()
            self._repaint_all()
            self.colormap_changed.emit(name)

    def set_significant(self, digits: int) -> None:
        """Show values in cells with ``digits`` significant digits."""
        self.significant = int(digits)
        self._repaint_all()

    def set_theme(self, theme: Theme) -> None:
        """Paint with another theme (light/dark, or a scaled presentation style)."""
        self.theme = theme
        self._repaint_all()

    def fit(self) -> None:
        """Show the whole array and fit both colour ranges to the data (the only way they shrink).

        The colour ranges are part of the document (saved in sessions), so a fit that changes them
        is an undo step; one that only re-frames the view is not.
        """
        self.view_state.fit = True
        ranges = self.model.fitted_ranges()
        if ranges != (self.z_range, self.grad_range):
            self.undo_stack.push(_RangesCommand(self, (self.z_range, self.grad_range), ranges))
        self._repaint_all()

    def apply_ranges(self, z_range: float, grad_range: float) -> None:
        """Set both colour ranges (the undo stack's path for a Fit)."""
        self.z_range, self.grad_range = z_range, grad_range
        self._repaint_all()

    def move_selection(self, drow: int, dcol: int, extend: bool = False) -> None:
        """Move the selected index (Shift: grow the block), staying inside the array and on screen."""
        rows, cols = self.model.shape
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
        self.status_message.emit(self.model.describe_cell(row, col))

    def selected_block(self) -> tuple[int, int, int, int]:
        """The selected cells as ``(first_row, stop_row, first_col, stop_col)``."""
        row, col = self.selection or (0, 0)
        other = self.anchor or (row, col)
        return (min(row, other[0]), max(row, other[0]) + 1, min(col, other[1]), max(col, other[1]) + 1)

    # -- clipboard -------------------------------------------------------------------------------
    def copy_text(self) -> str:
        """The selected block of the active panel as tab-separated text (spreadsheet-ready)."""
        r0, r1, c0, c1 = self.selected_block()
        block = self.model.array(self.active_role)[r0:r1, c0:c1]
        if block.dtype == bool:
            return "\n".join("\t".join("True" if v else "False" for v in row) for row in block) + "\n"
        return format_block(block)

    def paste_text(self, text: str, whole_array: bool = False) -> bool:
        """Paste a block (spreadsheet, CSV, NumPy repr, nested lists) into the edit target.

        All or nothing, one undo step. The block goes at the selected block's top-left cell; a
        1×1 value fills the whole selected block. A block that does not fit is refused unless
        :attr:`confirm_resize` agrees to grow both arrays. ``whole_array`` replaces the array
        (and reshapes the other one to match).

        Returns
        -------
        bool
            ``True`` if something was pasted.
        """
        name = self.edit_target
        if self.active_role not in ("z", "dvalues"):
            self.error_message.emit("mask and drelu are computed from z and dvalues: paste into z or dvalues.")
            return False
        try:
            block = parse_pasted_block(text)
        except AmbiguousCommaError as error:
            chosen = self.choose_comma_reading(error)
            if chosen is None:
                self.error_message.emit(f"Paste refused: {error}")
                return False
            block = chosen
        except InputError as error:
            self.error_message.emit(f"Paste refused: {error}")
            return False
        target = self.model.array(name)
        try:
            block = cast_block(block, target.dtype)
        except CellValueError as error:
            self.error_message.emit(f"Paste refused: {error}")
            return False
        if whole_array:
            shape_text = f"{block.shape[0]}×{block.shape[1]}"
            if not self._replace_one(name, block, f"Paste {shape_text} as {name}", "The pasted block"):
                return False
            note = f"; {self.last_reshape_note}" if self.last_reshape_note else ""
            self.status_message.emit(f"Pasted {shape_text} as {name}{note}")
            return True
        r0, r1, c0, c1 = self.selected_block()
        if block.shape == (1, 1) and (r1 - r0, c1 - c0) != (1, 1):
            block = np.full((r1 - r0, c1 - c0), block[0, 0], dtype=target.dtype)
        rows, cols = self.model.shape
        need_rows, need_cols = r0 + block.shape[0], c0 + block.shape[1]
        if need_rows > rows or need_cols > cols:
            grown = (max(rows, need_rows), max(cols, need_cols))
            question = (f"The pasted block is {block.shape[0]}×{block.shape[1]}; from {name}[{r0}, {c0}] only "
                        f"{rows - r0}×{cols - c0} fits. Resize both arrays to {grown[0]}×{grown[1]}?")
            if grown[0] > MAX_SIDE or grown[1] > MAX_SIDE:
                self.error_message.emit(f"Paste refused: it would need {grown[0]}×{grown[1]}; arrays go up to "
                                        f"{MAX_SIDE}×{MAX_SIDE}.")
                return False
            if not self.confirm_resize(question):
                self.error_message.emit(f"Paste refused: the {block.shape[0]}×{block.shape[1]} block does not fit "
                                        f"at {name}[{r0}, {c0}] in a {rows}×{cols} array.")
                return False
            z, dvalues = self.model.resized(*grown)
            (z if name == "z" else dvalues)[r0:need_rows, c0:need_cols] = block
            if not self.replace_arrays(z, dvalues, f"Paste and resize to {grown[0]}×{grown[1]}", refit=False):
                return False
            self.status_message.emit(f"Pasted {block.shape[0]}×{block.shape[1]} into {name}[{r0}, {c0}]; "
                                     f"both arrays are now {grown[0]}×{grown[1]}")
            return True
        old = target[r0:need_rows, c0:need_cols].copy()
        self.undo_stack.push(_SetBlockCommand(self, name, r0, c0, old, block))
        self.status_message.emit(f"Pasted {block.shape[0]}×{block.shape[1]} into {name}[{r0}, {c0}]")
        return True

    def _replace_one(self, name: str, array: np.ndarray, label: str, source: str) -> bool:
        """Replace ``name`` by ``array`` (one undo step); another shape asks how to reshape the other."""
        self.last_reshape_note = ""
        other_name = "dvalues" if name == "z" else "z"
        other = self.model.array(other_name)
        try:
            validate_pair(array, array)  # a refused shape gets its own message before any question
        except ShapeError as error:
            self.error_message.emit(str(error))
            return False
        note = ""
        if other.shape != array.shape:
            question = ReshapeQuestion(name, source, (int(other.shape[0]), int(other.shape[1])),
                                       (int(array.shape[0]), int(array.shape[1])))
            answer = self.confirm_reshape(question)
            if answer is None:
                self.error_message.emit(f"Cancelled: {source} is {array.shape[0]}×{array.shape[1]} and "
                                        f"{other_name} stays {other.shape[0]}×{other.shape[1]}; nothing changed.")
                return False
            fill = other.dtype.type(0)
            if question.new_cells:
                try:
                    fill = parse_cell_value(answer, other.dtype)
                except CellValueError as error:
                    self.error_message.emit(f"Nothing changed: the fill value for {other_name} was refused: {error}")
                    return False
            other = fit_to_shape(other, question.new_shape, fill)
            note = question.outcome(answer)
        z, dvalues = (array, other) if name == "z" else (other, array)
        if not self.replace_arrays(z, dvalues, label, refit=True):
            return False
        self.last_reshape_note = note
        return True

    def load_into(self, name: str, array: np.ndarray, label: str, source: str = "The file") -> bool:
        """Put a loaded array into ``z`` or ``dvalues``, undoably (one step).

        If its shape differs, :attr:`confirm_reshape` is asked how to reshape the other array
        (pad with what, crop) or whether to cancel; :attr:`last_reshape_note` then says what was done.
        """
        return self._replace_one(name, array, label, source)

    # -- sessions --------------------------------------------------------------------------------
    def view_settings(self) -> dict[str, float]:
        """Zoom and pan, as plain numbers for a session file."""
        view = self.view_state
        return {"arrays.fit": 1.0 if view.fit else 0.0, "arrays.cell_w": float(view.cell_w),
                "arrays.cell_h": float(view.cell_h),
                "arrays.origin_row": float(view.origin_row), "arrays.origin_col": float(view.origin_col)}

    def restore(self, z: np.ndarray, dvalues: np.ndarray, *, inclusive: bool, colormap: str,
                z_range: float | None, grad_range: float | None, significant: int,
                view: dict[str, float]) -> None:
        """Install a whole saved state (a session): arrays, operator, colours, zoom. Not undoable."""
        self.model.set_inclusive(inclusive)
        self._refit_next = True
        self.model.set_arrays(z, dvalues)
        if colormap in COLORMAPS:
            self.colormap = colormap
        # A saved range may be wider than the data (kept) but never narrower: values beyond it
        # would all saturate.
        if z_range is not None:
            self.z_range = widened_range(z_range, self.model.z)
        if grad_range is not None:
            self.grad_range = widened_range(grad_range, self.model.dvalues)
        self.digits_spin.setValue(max(self.digits_spin.minimum(), min(self.digits_spin.maximum(), significant)))
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
        self._sync_controls()
        self._repaint_all()

    # -- applying changes (called by undo commands) ---------------------------------------------
    def apply_cell(self, name: str, row: int, col: int, value: np.generic) -> None:
        """Write one value through the model (the undo stack's redo/undo path)."""
        self.model.set_value(name, row, col, value)

    def apply_arrays(self, z: np.ndarray, dvalues: np.ndarray, refit: bool) -> None:
        """Install arrays held by an undo command (``refit``: fit view and colour ranges too).

        The model takes them without copying: with a linear undo stack, whenever a command
        re-installs its arrays every later change to them has been undone, so they hold exactly
        what they held when the command was pushed.
        """
        self._refit_next = refit
        if refit:
            self.view_state.fit = True
        self.model.set_arrays(z, dvalues, take_ownership=True)

    def apply_operator(self, inclusive: bool) -> None:
        """Set the comparison through the model."""
        self.model.set_inclusive(inclusive)

    # -- model events ----------------------------------------------------------------------------
    def _recognise_preset(self) -> None:
        """Name the preset in the box if the arrays are exactly one (the app starts on the book's)."""
        for name in PRESETS:
            z, dvalues = preset_arrays(name)
            if z.shape == self.model.z.shape and z.tobytes() == self.model.z.tobytes() \
                    and dvalues.tobytes() == self.model.dvalues.tobytes():
                self._shown_preset = name
                self.preset_combo.setCurrentIndex(self.preset_combo.findData(name))
                return

    def _mark_custom(self) -> None:
        """The arrays no longer are a preset: say so in the preset box."""
        self._shown_preset = None
        self.preset_combo.setCurrentIndex(0)

    def _on_model_cell_changed(self, name: str, row: int, col: int) -> None:
        if self._shown_preset is not None:
            self._mark_custom()
        changed = self.model.array(name)[row, col]
        if name == "z":
            grown = grow_range(self.z_range, float(changed))
            if grown != self.z_range:
                self.z_range = grown
                self._repaint_all()
        else:
            grown = grow_range(self.grad_range, float(changed))
            if grown != self.grad_range:
                self.grad_range = grown
                self._repaint_all()
        for role in (name, "mask", "drelu"):
            panel = self.panels[role]
            panel.renderer.patch_cell(self.panel_data(role), row, col)
            panel.update_cell(row, col)
        has_zero = self.model.z_exact_zeros > 0
        if has_zero != self._zero_legend_shown:
            self._zero_legend_shown = has_zero
            self.panels["z"].update_legend()
        if self.selection == (row, col) or self.hover == (row, col):
            self.status_message.emit(self.model.describe_cell(row, col))

    def _on_model_arrays_changed(self) -> None:
        self._version += 1
        # load_preset sets the name again right after this; every other change is "your arrays".
        self._mark_custom()
        self.axis_names = None
        cancelled = self._cancel_edits()
        rows, cols = self.model.shape
        if self.selection is not None:
            self.selection = (min(self.selection[0], rows - 1), min(self.selection[1], cols - 1))
        if self.anchor is not None:
            self.anchor = (min(self.anchor[0], rows - 1), min(self.anchor[1], cols - 1))
        self.hover = None
        for panel in self.panels.values():
            panel.hover = None
        # drelu holds dvalues' values and zeros, so dvalues alone bounds the gradient range.
        # A refit (preset, file) starts the ranges afresh; other changes only grow them.
        refit, self._refit_next = self._refit_next, False
        z_fit, grad_fit = self.model.fitted_ranges()  # measured by the model's recompute pass
        self.z_range = z_fit if refit else max(self.z_range, z_fit)
        self.grad_range = grad_fit if refit else max(self.grad_range, grad_fit)
        self._sync_selection_marks()
        self._sync_controls()
        self._repaint_all()
        if self.selection is not None:
            note = "Edit cancelled: the arrays changed. " if cancelled else ""
            self.status_message.emit(note + self.model.describe_cell(*self.selection))

    def _on_model_operator_changed(self) -> None:
        self._version += 1
        if self._cancel_edits():
            self.status_message.emit("Edit cancelled: the operator changed.")
        self._sync_controls()
        self._repaint_all()
        if self.selection is not None:
            self.status_message.emit(self.model.describe_cell(*self.selection))

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
            self.status_message.emit(self.model.describe_cell(*self.hover))
        elif self.selection is not None:
            self.status_message.emit(self.model.describe_cell(*self.selection))

    def _on_edit_committed(self, role: str, row: int, col: int, text: str) -> None:
        panel = self.panels[role]
        rows, cols = self.model.shape
        if not (row < rows and col < cols):  # the array shrank under an open editor
            panel.cancel_edit()
            return
        if self.commit_text(role, row, col, text):
            panel.finish_edit(*panel.pending_move)
            # Say what the typed value did, not what the next cell holds.
            self.status_message.emit(self.model.describe_cell(row, col))

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

    def _on_step_changed(self, value: float) -> None:
        self.nudge_step = float(value)

    def _on_shape_edited(self) -> None:
        rows, cols = self.rows_spin.value(), self.cols_spin.value()
        if (rows, cols) != self.model.shape:
            self.resize_arrays(rows, cols)

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
        self._zero_legend_shown = self.model.z_exact_zeros > 0
        for panel in self.panels.values():
            if not keep_cache:
                panel.renderer.invalidate()
            panel.update()


def _same_bits(old: np.generic, new: np.generic) -> bool:
    """Equal including the sign of zero and NaN-ness (``-0.0`` differs from ``0.0``)."""
    return np.asarray(old).tobytes() == np.asarray(new, dtype=np.asarray(old).dtype).tobytes()
