"""The array explorer's model: ``z`` and ``dvalues`` in, ``mask`` and ``drelu`` kept live.

No Qt here. Views subscribe to :attr:`ExplorerModel.events` and repaint what changed:
``cell`` after a one-cell edit (only that cell of the mask and drelu was recomputed), ``arrays``
after a whole-array change, ``inclusive`` after the ``<=``/``<`` switch (see :mod:`reluviz.core.relu`).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from reluviz.core.colour import largest_finite_magnitude, nice_ceiling
from reluviz.core.events import Event
from reluviz.core.io.cell_value import format_value
from reluviz.core.io.limits import MAX_SIDE, shape_mismatch_text
from reluviz.core.presets import preset_arrays
from reluviz.core.relu import operator_text, relu_backward_into

__all__ = ["EDITABLE", "MAX_SIDE", "RECOMPUTE_POOL", "ExplorerEvents", "ExplorerModel", "RecomputePool",
           "ReshapeQuestion", "ShapeError", "check_shape", "fit_to_shape", "validate_pair"]

EDITABLE = ("z", "dvalues")
# Above this many cells the recompute is split across threads: NumPy releases the GIL, so the
# two halves run on both cores (~2x at 2048²); below it the thread hand-off costs more.
_PARALLEL_CELLS = 512 * 512
# The whole-array pass walks the arrays in row bands of about this many cells (512 KB of float64),
# so z and dvalues are read from memory once and the comparisons, the copy, the zero count and
# the min/max for the colour ranges all find them in cache.
_BAND_CELLS = 64 * 1024


class ShapeError(ValueError):
    """An array shape the explorer cannot show; the message says what is accepted."""


@dataclass
class ExplorerEvents:
    """The events an :class:`ExplorerModel` emits."""

    cell: Event
    arrays: Event
    inclusive: Event


class ExplorerModel:
    """Holds ``z``, ``dvalues`` and the derived ``mask`` and ``drelu``.

    Parameters
    ----------
    z, dvalues : numpy.ndarray, optional
        Equal-shaped 2-D numeric arrays; the book's example when omitted.
    inclusive : bool, default True
        ``True`` blocks where ``z <= 0`` (the book), ``False`` where ``z < 0``.
    take_ownership : bool, default False
        Keep the given arrays instead of copying them (C-contiguous ones are kept as they are;
        nobody else may write to them): arrays just loaded from files need not exist twice.
    """

    def __init__(
        self, z: np.ndarray | None = None, dvalues: np.ndarray | None = None, inclusive: bool = True,
        *, take_ownership: bool = False,
    ) -> None:
        self.events = ExplorerEvents(Event("cell"), Event("arrays"), Event("inclusive"))
        self._inclusive = inclusive
        if z is None or dvalues is None:
            z, dvalues = preset_arrays("book")
        self.z: np.ndarray
        self.dvalues: np.ndarray
        self.mask: np.ndarray
        self.drelu: np.ndarray
        # How many cells of z are exactly 0 (or -0), where ``z <= 0`` and ``z < 0`` disagree;
        # kept up to date by every change so no view rescans the array after an edit.
        self.z_exact_zeros = 0
        # The largest finite |value| of z and dvalues (None: unknown until asked, after an edit
        # replaced the largest one with a smaller value).
        self._magnitudes: dict[str, float | None] = {"z": None, "dvalues": None}
        self._install(z, dvalues, take_ownership)

    # -- reading -------------------------------------------------------------------------------
    @property
    def inclusive(self) -> bool:
        """``True`` when the mask is ``z <= 0``, ``False`` when it is ``z < 0``."""
        return self._inclusive

    @property
    def operator(self) -> str:
        """The comparison as written in code: ``"<="`` or ``"<"``."""
        return operator_text(self._inclusive)

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, columns)`` shared by all four arrays."""
        return (int(self.z.shape[0]), int(self.z.shape[1]))

    def array(self, name: str) -> np.ndarray:
        """Return the array called ``name``: ``z``, ``dvalues``, ``mask`` or ``drelu``."""
        return {"z": self.z, "dvalues": self.dvalues, "mask": self.mask, "drelu": self.drelu}[name]

    def fitted_ranges(self) -> tuple[float, float]:
        """The colour half-ranges that fit the data: ``(for z, for dvalues and drelu)``.

        Equal to ``(fit_range(z), fit_range(dvalues))`` of :mod:`reluviz.core.colour`, but read
        from what the last whole-array pass measured (and edits kept up to date) instead of
        scanning both arrays again.
        """
        return nice_ceiling(self._magnitude("z")), nice_ceiling(self._magnitude("dvalues"))

    def _magnitude(self, name: str) -> float:
        known = self._magnitudes[name]
        if known is None:
            known = self._magnitudes[name] = largest_finite_magnitude(self.array(name))
        return known

    def _note_magnitude(self, name: str, replaced: float, written: float) -> None:
        """Keep the largest magnitude of ``name`` exact after values ``replaced`` became ``written``."""
        known = self._magnitudes[name]
        if known is None or written >= known:
            self._magnitudes[name] = None if known is None else written
        elif replaced >= known:
            self._magnitudes[name] = None  # the largest value may be gone: measure when asked

    def describe_cell(self, row: int, col: int) -> str:
        """Explain one index in words, e.g.

        ``z[1, 2] = -1.0 → z <= 0 is True → drelu[1, 2] = 0 (dvalues was 7.0)``
        """
        z_value = self.z[row, col]
        blocked = bool(self.mask[row, col])
        d_value = self.dvalues[row, col]
        head = f"z[{row}, {col}] = {format_value(z_value, precision=None)} → z {self.operator} 0 is {blocked}"
        if blocked:
            return f"{head} → drelu[{row}, {col}] = 0 (dvalues was {format_value(d_value, precision=None)})"
        passed = format_value(self.drelu[row, col], precision=None)
        return f"{head} → drelu[{row}, {col}] = {passed} (passed from dvalues)"

    # -- changing ------------------------------------------------------------------------------
    def set_value(self, name: str, row: int, col: int, value: float | np.generic) -> None:
        """Set one cell of ``z`` or ``dvalues`` and recompute only that cell of mask and drelu.

        The value must already be of the array's dtype (see
        :func:`reluviz.core.io.cell_value.parse_cell_value`); this is the hot path of editing.
        """
        if name not in EDITABLE:
            raise ValueError(f"only {' and '.join(EDITABLE)} are editable, not {name}")
        target = self.z if name == "z" else self.dvalues
        old = target[row, col]
        target[row, col] = value
        new = target[row, col]
        if name == "z":
            self.z_exact_zeros += int(new == 0) - int(old == 0)
        self._note_magnitude(name, largest_finite_magnitude(np.asarray(old)),
                             largest_finite_magnitude(np.asarray(new)))
        # One cell of the book's two lines: the same comparison and assignment, on a scalar.
        z_value = self.z[row, col]
        blocked = bool(z_value <= 0) if self._inclusive else bool(z_value < 0)
        self.mask[row, col] = blocked
        self.drelu[row, col] = 0 if blocked else self.dvalues[row, col]
        self.edits += 1
        self.events.cell.emit(name, row, col)

    def set_block(self, name: str, row: int, col: int, block: np.ndarray) -> None:
        """Write a 2-D ``block`` into ``name`` at ``(row, col)`` and recompute that region only.

        The block must fit inside the array and already have the array's dtype (a paste).
        """
        if name not in EDITABLE:
            raise ValueError(f"only {' and '.join(EDITABLE)} are editable, not {name}")
        rows = slice(row, row + block.shape[0])
        cols = slice(col, col + block.shape[1])
        target = self.z if name == "z" else self.dvalues
        region = target[rows, cols]
        replaced_zeros = int(np.count_nonzero(region == 0)) if name == "z" else 0
        replaced = largest_finite_magnitude(region)
        target[rows, cols] = block
        if name == "z":
            self.z_exact_zeros += int(np.count_nonzero(region == 0)) - replaced_zeros
        self._note_magnitude(name, replaced, largest_finite_magnitude(region))
        relu_backward_into(self.drelu[rows, cols], self.z[rows, cols], self.dvalues[rows, cols],
                           self.mask[rows, cols], self._inclusive)
        self.edits += 1
        self.events.arrays.emit()

    def set_arrays(self, z: np.ndarray, dvalues: np.ndarray, *, take_ownership: bool = False) -> None:
        """Replace both arrays (preset, paste, resize, file) and recompute everything.

        With ``take_ownership`` the model keeps the given arrays instead of copying them (they must
        be C-contiguous and nobody else may write to them): at 2048² a copy into fresh memory costs
        more than the whole recompute, and the undo stack hands over arrays it alone holds.

        Raises
        ------
        ShapeError
            If the arrays are not 2-D, differ in shape, are empty or exceed 4096×4096.
        """
        self._install(z, dvalues, take_ownership)
        self.events.arrays.emit()

    def set_inclusive(self, inclusive: bool) -> None:
        """Switch between ``z <= 0`` and ``z < 0`` and recompute."""
        if inclusive == self._inclusive:
            return
        self._inclusive = inclusive
        self._recompute(measure=False)
        self.events.inclusive.emit()

    def resized(self, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(z, dvalues)`` reshaped to ``rows × cols``: overlap kept, new cells 0.

        Raises
        ------
        ShapeError
            If either side is outside 1..4096.
        """
        check_shape((rows, cols))
        return (fit_to_shape(self.z, (rows, cols), self.z.dtype.type(0)),
                fit_to_shape(self.dvalues, (rows, cols), self.dvalues.dtype.type(0)))

    # -- internals -----------------------------------------------------------------------------
    def _install(self, z: np.ndarray, dvalues: np.ndarray, take_ownership: bool = False) -> None:
        z_arr, d_arr = validate_pair(z, dvalues)
        # Own C-contiguous arrays: the caller's are never modified by edits here (unless handed
        # over), and arrays replaced are never written again (undo keeps them without copying).
        self.z = np.require(z_arr, requirements="C") if take_ownership else np.array(z_arr, order="C")
        self.dvalues = (np.require(d_arr, requirements="C") if take_ownership
                        else np.array(d_arr, order="C"))
        self.edits = 0
        # The derived buffers are reused when the shape and dtype allow: fresh pages would cost
        # more than the recompute itself at 2048².
        old_mask, old_drelu = getattr(self, "mask", None), getattr(self, "drelu", None)
        if old_mask is None or old_mask.shape != self.z.shape:
            self.mask = np.empty(self.z.shape, dtype=bool)
        if old_drelu is None or old_drelu.shape != self.z.shape or old_drelu.dtype != self.dvalues.dtype:
            self.drelu = np.empty_like(self.dvalues)
        self._recompute()

    def _recompute(self, measure: bool = True) -> None:
        """Recompute mask and drelu; with ``measure`` also count z's zeros and both magnitudes.

        One pass in row bands (see :data:`_BAND_CELLS`), split over two threads for big arrays.
        """
        rows = self.z.shape[0]
        if self.z.size < _PARALLEL_CELLS or rows < 2:
            results = [self._recompute_rows(0, rows, measure)]
        else:
            half = rows // 2
            pool = RECOMPUTE_POOL.executor()
            futures = [pool.submit(self._recompute_rows, first, stop, measure)
                       for first, stop in ((0, half), (half, rows))]
            results = [future.result() for future in futures]
        if measure:
            self.z_exact_zeros = sum(zeros for zeros, _, _ in results)
            self._magnitudes = {"z": max(z_mag for _, z_mag, _ in results),
                                "dvalues": max(d_mag for _, _, d_mag in results)}

    def _recompute_rows(self, first: int, stop: int, measure: bool) -> tuple[int, float, float]:
        """The whole-array pass over rows ``first:stop``: ``(zeros in z, |z| max, |dvalues| max)``."""
        band = max(1, _BAND_CELLS // max(1, self.z.shape[1]))
        zeros, z_mag, d_mag = 0, 0.0, 0.0
        for start in range(first, stop, band):
            part = slice(start, min(start + band, stop))
            z, dvalues = self.z[part], self.dvalues[part]
            relu_backward_into(self.drelu[part], z, dvalues, self.mask[part], self._inclusive)
            if measure:
                zeros += int(np.count_nonzero(z == 0))
                z_mag = max(z_mag, largest_finite_magnitude(z))
                d_mag = max(d_mag, largest_finite_magnitude(dvalues))
        return zeros, z_mag, d_mag


def fit_to_shape(array: np.ndarray, shape: tuple[int, int], fill: np.generic) -> np.ndarray:
    """Return a new ``shape`` array of ``array``'s dtype: the overlap kept, other cells ``fill``.

    Rows and columns beyond ``shape`` are cropped; new ones (below, right) are set to ``fill``,
    which must already be a value of ``array``'s dtype.
    """
    check_shape(shape)
    new = np.full(shape, fill, dtype=array.dtype)
    keep_r, keep_c = min(shape[0], array.shape[0]), min(shape[1], array.shape[1])
    new[:keep_r, :keep_c] = array[:keep_r, :keep_c]
    return new


@dataclass(frozen=True)
class ReshapeQuestion:
    """What to ask before an array of another shape (opened or pasted) reshapes the other one.

    ``incoming`` is the array that arrives (``"z"`` or ``"dvalues"``), ``source`` names where it
    comes from (a file name, "the pasted block"); ``other`` must become ``new_shape`` too.
    """

    incoming: str
    source: str
    old_shape: tuple[int, int]
    new_shape: tuple[int, int]

    @property
    def other(self) -> str:
        """The array that would be reshaped."""
        return "dvalues" if self.incoming == "z" else "z"

    @property
    def kept(self) -> int:
        """Cells of the other array that keep their values."""
        return min(self.old_shape[0], self.new_shape[0]) * min(self.old_shape[1], self.new_shape[1])

    @property
    def new_cells(self) -> int:
        """Cells the other array gains (they need a fill value)."""
        return self.new_shape[0] * self.new_shape[1] - self.kept

    @property
    def cropped_cells(self) -> int:
        """Cells of the other array that would be dropped."""
        return self.old_shape[0] * self.old_shape[1] - self.kept

    @property
    def text(self) -> str:
        """The question in plain words."""
        new = _shape_text(self.new_shape)
        mismatch = shape_mismatch_text(self.new_shape, self.old_shape, z_name=self.source, dvalues_name=self.other)
        parts = [f"{mismatch}.",
                 f"Resize {self.other} to {new}? Its top-left {self.kept} values are kept"]
        changes = []
        if self.new_cells:
            changes.append(f"{self.new_cells} new cells get the fill value you choose")
        if self.cropped_cells:
            changes.append(f"{self.cropped_cells} cells beyond {new} are cropped (dropped)")
        return " ".join(parts) + ("; " + " and ".join(changes) if changes else "") + "."

    def outcome(self, fill_text: str) -> str:
        """What was done, for the status bar, once the user agreed (``fill_text`` as typed)."""
        done = [f"{self.other} resized from {_shape_text(self.old_shape)} to {_shape_text(self.new_shape)}: "
                f"{self.kept} values kept"]
        if self.new_cells:
            done.append(f"{self.new_cells} new cells set to {fill_text.strip()}")
        if self.cropped_cells:
            done.append(f"{self.cropped_cells} cells cropped")
        return ", ".join(done)


def _shape_text(shape: tuple[int, int]) -> str:
    return f"{shape[0]}×{shape[1]}"


def validate_pair(z: np.ndarray, dvalues: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Check that ``z`` and ``dvalues`` can be shown together; return them as arrays.

    Raises
    ------
    ShapeError
        If either is not a 2-D int/float array, they differ in shape, or a side is outside
        1..4096. Nothing is copied or allocated before the checks pass.
    """
    z_arr, d_arr = np.asarray(z), np.asarray(dvalues)
    for label, arr in (("z", z_arr), ("dvalues", d_arr)):
        if arr.dtype.kind not in "iuf":
            raise ShapeError(f"{label} has dtype {arr.dtype}; int and float arrays are accepted.")
        if arr.ndim != 2:
            raise ShapeError(f"{label} has {arr.ndim} dimensions; 2-D arrays are accepted.")
    check_shape(z_arr.shape)
    if z_arr.shape != d_arr.shape:
        raise ShapeError(f"{shape_mismatch_text(z_arr.shape, d_arr.shape)}.")
    return z_arr, d_arr


def check_shape(shape: tuple[int, ...]) -> None:
    """Raise :class:`ShapeError` unless ``shape`` is 2-D with sides in 1..4096."""
    if len(shape) != 2:
        raise ShapeError(f"arrays must be 2-D (rows × columns); got {len(shape)}-D.")
    rows, cols = shape
    if not (1 <= rows <= MAX_SIDE and 1 <= cols <= MAX_SIDE):
        raise ShapeError(
            f"{rows}×{cols} is outside the accepted sizes: 1×1 up to {MAX_SIDE}×{MAX_SIDE}."
        )


class RecomputePool:
    """The two worker threads every :class:`ExplorerModel` splits its big recomputes over.

    Shared, not one per model: models are cheap and many (undo, sessions, tests), threads are not,
    and a recompute waits for its own futures, so models never see each other's work. The
    threads start on the first recompute of at least :data:`_PARALLEL_CELLS` cells.
    ``concurrent.futures`` joins them when the interpreter exits; :meth:`shutdown` stops them
    earlier (an embedding program, a test), and the next big recompute starts fresh ones.
    """

    def __init__(self, workers: int = 2) -> None:
        self._workers = workers
        self._executor: ThreadPoolExecutor | None = None

    @property
    def running(self) -> bool:
        """Whether worker threads exist now."""
        return self._executor is not None

    def executor(self) -> ThreadPoolExecutor:
        """The executor, started on first use."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="reluviz-recompute")
        return self._executor

    def shutdown(self) -> None:
        """Wait for running work, then stop the threads."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)


RECOMPUTE_POOL = RecomputePool()
"""The pool :meth:`ExplorerModel.set_arrays` and friends use for arrays of 512² cells and more."""
