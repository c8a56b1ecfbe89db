"""The arrays document: everything the user edits and saves about ``z`` and ``dvalues``.

No Qt here. :class:`ArraysDocument` is an :class:`~reluviz.core.explorer.ExplorerModel` (the two
arrays, the operator and the live ``mask`` and ``drelu``) that also holds what the Arrays view
kept in its widgets until now: the colormap, the two colour ranges and the precision (significant
digits printed in cells; "precision" is the one name used for it here and in session files).

Because it *is* an ``ExplorerModel``, a view that takes a model today takes a document tomorrow,
and whatever the model gains (incremental counts, faster recomputes) the document gains too.

Events (``document.events``), each emitted once per change and never for a value set to what it
already is; every handler sees the document's new state in full:

``cell(name, row, col)``, ``arrays()``, ``inclusive()``
    From :class:`~reluviz.core.explorer.ExplorerModel`.
``colormap(name)``
    The colormap changed.
``ranges(z_range, grad_range)``
    A colour half-range changed: emitted *after* the ``cell`` or ``arrays`` event that grew or
    refitted it (those handlers already see the new ranges), or alone for :meth:`set_ranges`.
``precision(precision)``
    The number of significant digits changed.

The colour rule (DESIGN.md, "Colour"): a range grows when an edit exceeds it and shrinks only on
Fit or when new arrays are installed with ``refit=True`` (a preset, a file, a session); ``dvalues``
and ``drelu`` share one range, and dvalues alone bounds it (drelu holds its values and zeros).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from reluviz.core.colour import COLORMAPS, DEFAULT_COLORMAP, fit_range, grow_range
from reluviz.core.events import Event
from reluviz.core.explorer import ExplorerEvents, ExplorerModel

__all__ = ["DEFAULT_PRECISION", "MAX_PRECISION", "MIN_PRECISION", "ArraysDocument", "ArraysEvents"]

DEFAULT_PRECISION = 3
"""Significant digits printed in cells when nothing else was chosen."""

MIN_PRECISION = 1
MAX_PRECISION = 12
"""The precisions a document accepts (the Arrays view's digits box offers the same 1–12)."""


@dataclass
class ArraysEvents(ExplorerEvents):
    """The events an :class:`ArraysDocument` emits: the model's and three of its own."""

    colormap: Event
    ranges: Event
    precision: Event


class ArraysDocument(ExplorerModel):
    """``z``, ``dvalues``, the operator, the colormap, the colour ranges and the precision.

    Parameters
    ----------
    z, dvalues : numpy.ndarray, optional
        Equal-shaped 2-D numeric arrays; the book's example when omitted.
    inclusive : bool, default True
        ``True`` blocks where ``z <= 0`` (the book), ``False`` where ``z < 0``.
    colormap : str, default :data:`~reluviz.core.colour.DEFAULT_COLORMAP`
        A key of :data:`~reluviz.core.colour.COLORMAPS`.
    precision : int, default 3
        Significant digits printed in cells, :data:`MIN_PRECISION` to :data:`MAX_PRECISION`.
    take_ownership : bool, default False
        Keep ``z`` and ``dvalues`` instead of copying them (see :class:`ExplorerModel`): for
        arrays nobody else holds, such as ones just loaded from a file.

    The colour ranges start fitted to the data.
    """

    events: ArraysEvents

    def __init__(
        self,
        z: np.ndarray | None = None,
        dvalues: np.ndarray | None = None,
        inclusive: bool = True,
        *,
        colormap: str = DEFAULT_COLORMAP,
        precision: int = DEFAULT_PRECISION,
        take_ownership: bool = False,
    ) -> None:
        _check_colormap(colormap)
        _check_precision(precision)
        super().__init__(z, dvalues, inclusive, take_ownership=take_ownership)
        model_events = {f.name: getattr(self.events, f.name) for f in fields(self.events)}
        self.events = ArraysEvents(
            **model_events, colormap=Event("colormap"), ranges=Event("ranges"), precision=Event("precision")
        )
        self._colormap = colormap
        self._precision = int(precision)
        self._z_range = fit_range(self.z)
        self._grad_range = fit_range(self.dvalues)
        # Set only for the length of one set_arrays call (see _install_arrays): None grows the
        # ranges to the new data, a pair refits them (keeping a saved range wider than the data).
        self._refit_to: tuple[float | None, float | None] | None = None
        # Connected first, so every other handler of these events already sees the new ranges.
        self.events.cell.connect(self._grow_ranges_for_cell)
        self.events.arrays.connect(self._follow_ranges_to_arrays)

    # -- reading -------------------------------------------------------------------------------
    @property
    def colormap(self) -> str:
        """Name of the diverging colormap of ``z``, ``dvalues`` and ``drelu``."""
        return self._colormap

    @property
    def precision(self) -> int:
        """Significant digits printed in cells."""
        return self._precision

    @property
    def z_range(self) -> float:
        """Half-width of ``z``'s symmetric colour scale (finite, > 0)."""
        return self._z_range

    @property
    def grad_range(self) -> float:
        """Half-width of the colour scale ``dvalues`` and ``drelu`` share (finite, > 0)."""
        return self._grad_range

    @property
    def ranges(self) -> tuple[float, float]:
        """``(z_range, grad_range)``."""
        return (self._z_range, self._grad_range)

    def fitted_ranges(self) -> tuple[float, float]:
        """The ranges a Fit would set: the smallest nice ones covering the data."""
        return (fit_range(self.z), fit_range(self.dvalues))

    # -- changing ------------------------------------------------------------------------------
    def set_value(self, name: str, row: int, col: int, value: float | np.generic) -> None:
        """Set one cell (see :meth:`ExplorerModel.set_value`); its range grows if it must."""
        before = self.ranges
        super().set_value(name, row, col, value)
        self._emit_ranges_if_changed(before)

    def set_block(self, name: str, row: int, col: int, block: np.ndarray) -> None:
        """Write a block (see :meth:`ExplorerModel.set_block`); the ranges grow if they must."""
        before = self.ranges
        super().set_block(name, row, col, block)
        self._emit_ranges_if_changed(before)

    def set_arrays(
        self, z: np.ndarray, dvalues: np.ndarray, *, take_ownership: bool = False, refit: bool = False
    ) -> None:
        """Replace both arrays (see :meth:`ExplorerModel.set_arrays`).

        Parameters
        ----------
        refit : bool, default False
            ``True`` fits both colour ranges to the new data (a preset, a file, a session);
            ``False`` only grows them to cover it (a transform, a resize, a paste).
        """
        self._install_arrays(z, dvalues, take_ownership, (None, None) if refit else None)

    def _install_arrays(self, z: np.ndarray, dvalues: np.ndarray, take_ownership: bool,
                        refit_to: tuple[float | None, float | None] | None) -> None:
        before = self.ranges
        # The intent travels with the call that has it, not with a flag left for later: it is
        # read by the first arrays handler, inside this very call, and cleared on the way out.
        self._refit_to = refit_to
        try:
            super().set_arrays(z, dvalues, take_ownership=take_ownership)
        finally:
            self._refit_to = None
        self._emit_ranges_if_changed(before)

    def set_colormap(self, name: str) -> None:
        """Use another colormap.

        Raises
        ------
        ValueError
            If ``name`` is not a key of :data:`~reluviz.core.colour.COLORMAPS`.
        """
        _check_colormap(name)
        if name == self._colormap:
            return
        self._colormap = name
        self.events.colormap.emit(name)

    def set_precision(self, precision: int) -> None:
        """Print ``precision`` significant digits in cells.

        Raises
        ------
        ValueError
            If ``precision`` is not a whole number from :data:`MIN_PRECISION` to :data:`MAX_PRECISION`.
        """
        _check_precision(precision)
        if int(precision) == self._precision:
            return
        self._precision = int(precision)
        self.events.precision.emit(self._precision)

    def set_ranges(self, z_range: float, grad_range: float) -> None:
        """Set both colour half-ranges (a Fit, or its undo); one ``ranges`` event if either changed.

        Raises
        ------
        ValueError
            If a range is not a finite number greater than 0.
        """
        for label, value in (("z_range", z_range), ("grad_range", grad_range)):
            if not (math.isfinite(value) and value > 0):
                raise ValueError(f"{label} is {value!r}; a colour range must be a finite number greater than 0.")
        before = self.ranges
        self._z_range, self._grad_range = float(z_range), float(grad_range)
        self._emit_ranges_if_changed(before)

    def fit_ranges(self) -> None:
        """Fit both colour ranges to the data (the only way besides a refit that they shrink)."""
        self.set_ranges(*self.fitted_ranges())

    def restore(
        self,
        z: np.ndarray,
        dvalues: np.ndarray,
        *,
        inclusive: bool,
        colormap: str,
        z_range: float | None,
        grad_range: float | None,
        precision: int,
    ) -> None:
        """Install a whole saved state (a session), as the Arrays view has always restored it.

        The arrays are refitted; a saved range is kept when it is wider than the data but never
        narrower (values beyond it would all saturate); an unknown colormap keeps the current one;
        a precision outside 1–12 is clamped into it. Each event fires at most once.
        """
        self.set_inclusive(inclusive)
        self._install_arrays(z, dvalues, False, (z_range, grad_range))
        if colormap in COLORMAPS:
            self.set_colormap(colormap)
        self.set_precision(max(MIN_PRECISION, min(MAX_PRECISION, int(precision))))

    # -- internals -----------------------------------------------------------------------------
    def _grow_ranges_for_cell(self, name: str, row: int, col: int) -> None:
        value = float(self.array(name)[row, col])
        if name == "z":
            self._z_range = grow_range(self._z_range, value)
        else:
            self._grad_range = grow_range(self._grad_range, value)

    def _follow_ranges_to_arrays(self) -> None:
        z_fit, grad_fit = self.fitted_ranges()
        if self._refit_to is not None:
            # A saved range may be wider than the data (kept) but never narrower.
            saved_z, saved_grad = self._refit_to
            self._z_range = z_fit if saved_z is None else max(float(saved_z), z_fit)
            self._grad_range = grad_fit if saved_grad is None else max(float(saved_grad), grad_fit)
        else:
            self._z_range, self._grad_range = max(self._z_range, z_fit), max(self._grad_range, grad_fit)

    def _emit_ranges_if_changed(self, before: tuple[float, float]) -> None:
        if self.ranges != before:
            self.events.ranges.emit(self._z_range, self._grad_range)


def _check_colormap(name: str) -> None:
    if name not in COLORMAPS:
        raise ValueError(f"unknown colormap {name!r}; known: {', '.join(COLORMAPS)}")


def _check_precision(precision: int) -> None:
    if isinstance(precision, bool) or not isinstance(precision, int | np.integer) \
            or not MIN_PRECISION <= precision <= MAX_PRECISION:
        raise ValueError(
            f"precision {precision!r} is not a whole number from {MIN_PRECISION} to {MAX_PRECISION}."
        )
