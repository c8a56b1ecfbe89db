"""What the user's edits do in the Arrays view: each one a checked undo step on the document.

:class:`ArraysEdits` is the editing half of :class:`~reluviz.ui.arrays_view.ArraysView` (a mixin:
the view is one widget, split in two files so each can be read whole): typed and nudged cells,
presets, Randomize, resize, fill/negate/zero, the ``inclusive`` switch, Fit, copy and the paste rules, and
arrays opened from files. Every change is checked *before* its command reaches the undo stack (a
failing redo inside ``QUndoStack.push`` leaves a broken step behind), refusals are said in plain
words on ``error_message``, and nothing is changed here but through
:mod:`~reluviz.ui.arrays_commands` on the document.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtGui import QUndoStack

from reluviz.core.arrays_document import ArraysDocument
from reluviz.core.explorer import EDITABLE, MAX_SIDE, ReshapeQuestion, ShapeError, fit_to_shape, validate_pair
from reluviz.core.io.cell_value import CellValueError, cast_block, negated, nudged_value, parse_cell_value
from reluviz.core.io.limits import InputError
from reluviz.core.io.paste import AmbiguousCommaError, format_block, parse_pasted_block
from reluviz.core.presets import PRESETS, preset_arrays, random_arrays
from reluviz.render.heatmap import ViewState
from reluviz.ui.arrays_commands import (
    FitRangesCommand,
    ReplaceArraysCommand,
    SetBlockCommand,
    SetCellCommand,
    SetInclusiveCommand,
)

if TYPE_CHECKING:
    from reluviz.ui.arrays_toolbar import ArraysToolbar
    from reluviz.ui.heatmap_panel import HeatmapPanel

__all__ = ["ArraysEdits"]


class ArraysEdits:
    """The Arrays view's edits (see the module's docstring); mixed into ``ArraysView``."""

    # What the view provides (set in its __init__; listed here so each name is seen once).
    document: ArraysDocument
    undo_stack: QUndoStack
    view_state: ViewState
    controls: ArraysToolbar
    panels: dict[str, HeatmapPanel]
    status_message: Any  # Signal(str)
    error_message: Any  # Signal(str)
    nudge_step: float
    edit_target: str
    active_role: str
    axis_names: tuple[str, str] | None
    _shown_preset: str | None

    def _init_edits(self) -> None:
        """The edits' own state and hooks (called once by the view's ``__init__``)."""
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
        self._gesture = 0
        self._gesture_open = False
        # Where Randomize draws a new seed from (tests make it predictable); the last seed used.
        self.new_seed: Callable[[], int] = lambda: secrets.randbelow(2**31)
        self.last_seed: int | None = None

    if TYPE_CHECKING:  # the view's own methods the edits call
        def _repaint_all(self, keep_cache: bool = False) -> None: ...

        def selected_block(self) -> tuple[int, int, int, int]: ...

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
        target = self.document.array(name)
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
        rows, cols = self.document.shape
        if not (0 <= row < rows and 0 <= col < cols):
            return  # the arrays shrank under a gesture still in progress
        target = self.document.array(name)
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
        target = self.document.array(name)
        rows, cols = self.document.shape
        if name not in EDITABLE or not (0 <= row < rows and 0 <= col < cols):
            raise ValueError(f"no editable cell {name}[{row}, {col}] in a {rows}×{cols} array")
        if np.asarray(value).dtype != target.dtype or np.asarray(old).dtype != target.dtype:
            raise ValueError(f"{name} holds {target.dtype}, not {np.asarray(value).dtype}")
        self.undo_stack.push(SetCellCommand(self.document, name, row, col, old, value, gesture))

    def _on_edit_refused(self, role: str) -> None:
        """A computed panel was typed, nudged or pasted into: say where to edit instead."""
        if role == "mask":
            where = f"mask = z {self.document.operator} 0 is computed from z: edit z to change it."
        else:
            where = ("drelu is computed from dvalues and z: edit dvalues (its values) or z "
                     "(where it is blocked).")
        self.error_message.emit(where)

    def load_preset(self, name: str) -> None:
        """Replace both arrays with a preset (undoable) and fit view and colours."""
        z, dvalues = preset_arrays(name)
        if self.replace_arrays(z, dvalues, f"Preset: {PRESETS[name].label}", refit=True):
            self._shown_preset = name
            self.axis_names = PRESETS[name].axis_names
            self.controls.show_preset(name)
            self.status_message.emit(PRESETS[name].description)

    def randomize(self, seed: int) -> None:
        """Fill both arrays with reproducible random values of the current shape (the same seed
        always gives the same arrays); the seed box shows ``seed``."""
        rows, cols = self.document.shape
        z, dvalues = random_arrays(rows, cols, seed)
        if self.replace_arrays(z, dvalues, f"Randomize (seed {seed})", refit=True):
            self.last_seed = seed
            self.controls.show_seed(seed)
            self.status_message.emit(f"Randomized with seed {seed}: type that seed into the seed box "
                                     "(and press Enter) to get these arrays again.")

    def randomize_new(self) -> None:
        """The Randomize button: new arrays on every press, with a fresh seed shown in the seed box."""
        seed = self.new_seed()
        if seed == self.last_seed:  # a repeat draw would look like a button that does nothing
            seed = (seed + 1) % 2**31
        self.randomize(seed)

    def resize_arrays(self, rows: int, cols: int) -> bool:
        """Resize both arrays, keeping the overlapping values; refused beyond 4096×4096."""
        try:
            z, dvalues = self.document.resized(rows, cols)
        except ShapeError as error:
            self.error_message.emit(str(error))
            self.controls.sync()
            return False
        if (rows, cols) != self.document.shape:
            self.replace_arrays(z, dvalues, f"Resize to {rows}×{cols}", refit=False)
        return True

    def fill(self, name: str, text: str) -> None:
        """Set every cell of ``name`` to the typed ``text`` (parsed as a cell is; refused if it does not fit)."""
        try:
            value = parse_cell_value(str(text), self.document.array(name).dtype)
        except CellValueError as error:
            self.error_message.emit(str(error))
            return
        self._transform(name, lambda a: np.full_like(a, value), f"Fill {name} with {text}")

    def negate(self, name: str) -> None:
        """Flip the sign of every cell of ``name`` (refused where the dtype has no negative)."""
        try:
            flipped = negated(self.document.array(name))
        except CellValueError as error:
            self.error_message.emit(str(error))
            return
        self._transform(name, lambda _a: flipped, f"Negate {name}")

    def zero(self, name: str) -> None:
        """Set every cell of ``name`` to 0."""
        self._transform(name, np.zeros_like, f"Zero {name}")

    def _transform(self, name: str, function: Callable[[np.ndarray], np.ndarray], label: str) -> None:
        target = self.document.array(name)
        new = np.asarray(function(target), dtype=target.dtype)
        z, dvalues = (new, self.document.dvalues) if name == "z" else (self.document.z, new)
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
        # No copy needed: the document copies what it installs and never writes to arrays it replaced.
        before = (self.document.z, self.document.dvalues)
        self.undo_stack.push(ReplaceArraysCommand(self.apply_arrays, label, before, (z, dvalues), refit))
        return True

    def set_inclusive(self, inclusive: bool) -> None:
        """Switch the mask between ``z <= 0`` and ``z < 0`` (undoable)."""
        if inclusive != self.document.inclusive:
            self.undo_stack.push(SetInclusiveCommand(self.document, inclusive))

    def toggle_inclusive(self) -> None:
        """Flip between ``z <= 0`` and ``z < 0``."""
        self.set_inclusive(not self.document.inclusive)

    def fit(self) -> None:
        """Show the whole array and fit both colour ranges to the data (the only way they shrink).

        The colour ranges are part of the document (saved in sessions), so a fit that changes them
        is an undo step; one that only re-frames the view is not.
        """
        self.view_state.fit = True
        ranges, before = self.document.fitted_ranges(), self.document.ranges
        if ranges != before:
            self.undo_stack.push(FitRangesCommand(self.document, before, ranges))
        self._repaint_all()

    def copy_text(self) -> str:
        """The selected block of the active panel as tab-separated text (spreadsheet-ready)."""
        r0, r1, c0, c1 = self.selected_block()
        block = self.document.array(self.active_role)[r0:r1, c0:c1]
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
        block = self._pasted_block(text, self.document.array(name).dtype)
        if block is None:
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
            block = np.full((r1 - r0, c1 - c0), block[0, 0], dtype=block.dtype)
        rows, cols = self.document.shape
        if r0 + block.shape[0] > rows or c0 + block.shape[1] > cols:
            return self._paste_growing(name, r0, c0, block)
        old = self.document.array(name)[r0:r0 + block.shape[0], c0:c0 + block.shape[1]].copy()
        self.undo_stack.push(SetBlockCommand(self.document, name, r0, c0, old, block))
        self.status_message.emit(f"Pasted {block.shape[0]}×{block.shape[1]} into {name}[{r0}, {c0}]")
        return True

    def _pasted_block(self, text: str, dtype: np.dtype) -> np.ndarray | None:
        """``text`` read as a block of ``dtype`` (commas that read two ways asked about), or
        ``None`` after saying why it was refused."""
        try:
            block = parse_pasted_block(text)
        except AmbiguousCommaError as error:
            chosen = self.choose_comma_reading(error)
            if chosen is None:
                self.error_message.emit(f"Paste refused: {error}")
                return None
            block = chosen
        except InputError as error:
            self.error_message.emit(f"Paste refused: {error}")
            return None
        try:
            return cast_block(block, dtype)
        except CellValueError as error:
            self.error_message.emit(f"Paste refused: {error}")
            return None

    def _paste_growing(self, name: str, r0: int, c0: int, block: np.ndarray) -> bool:
        """Paste a block that overhangs the arrays: grow both (if :attr:`confirm_resize` agrees)."""
        rows, cols = self.document.shape
        need_rows, need_cols = r0 + block.shape[0], c0 + block.shape[1]
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
        z, dvalues = self.document.resized(*grown)
        (z if name == "z" else dvalues)[r0:need_rows, c0:need_cols] = block
        if not self.replace_arrays(z, dvalues, f"Paste and resize to {grown[0]}×{grown[1]}", refit=False):
            return False
        self.status_message.emit(f"Pasted {block.shape[0]}×{block.shape[1]} into {name}[{r0}, {c0}]; "
                                 f"both arrays are now {grown[0]}×{grown[1]}")
        return True

    def _replace_one(self, name: str, array: np.ndarray, label: str, source: str) -> bool:
        """Replace ``name`` by ``array`` (one undo step); another shape asks how to reshape the other."""
        self.last_reshape_note = ""
        other_name = "dvalues" if name == "z" else "z"
        other = self.document.array(other_name)
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

    def apply_arrays(self, z: np.ndarray, dvalues: np.ndarray, refit: bool) -> None:
        """Install arrays held by an undo command (``refit``: fit view and colour ranges too).

        The document takes them without copying: with a linear undo stack, whenever a command
        re-installs its arrays every later change to them has been undone, so they hold exactly
        what they held when the command was pushed.
        """
        if refit:
            self.view_state.fit = True
        self.document.set_arrays(z, dvalues, take_ownership=True, refit=refit)


def _same_bits(old: np.generic, new: np.generic) -> bool:
    """Equal including the sign of zero and NaN-ness (``-0.0`` differs from ``0.0``)."""
    return np.asarray(old).tobytes() == np.asarray(new, dtype=np.asarray(old).dtype).tobytes()
