"""What one heatmap panel shows: the numbers (:class:`PanelData`) and which part of them (:class:`ViewState`).

Plain data for :mod:`reluviz.render.heatmap`; the screen, every export and the CLI build these.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reluviz.core.relu import operator_text

__all__ = ["PanelData", "ViewState"]


@dataclass
class ViewState:
    """Which part of the array is on screen; shared by the four panels so they stay aligned.

    ``fit`` means "show the whole array" (cells stretch to fill the plot, like ``imshow``'s
    ``aspect="auto"``, so a 300×6 batch is not a sliver); otherwise ``cell_w``/``cell_h`` are the
    size of one cell in pixels (at theme scale 1) and ``origin_row``/``origin_col`` the fractional
    cell index at the plot's top-left corner.
    """

    fit: bool = True
    cell_w: float = 40.0
    cell_h: float = 40.0
    origin_row: float = 0.0
    origin_col: float = 0.0

    @property
    def cell_px(self) -> float:
        """The smaller side of a cell: what decides whether text and marks fit."""
        return min(self.cell_w, self.cell_h)


@dataclass
class PanelData:
    """The numbers one panel shows, and how to colour them."""

    role: str
    values: np.ndarray
    blocked: np.ndarray
    half_range: float
    cmap: str
    inclusive: bool = True  # the mask is z <= 0 (True) or z < 0; see reluviz.core.relu
    precision: int = 3
    version: int = 0
    edits: int = 0
    editable: bool = False
    # How many cells of ``values`` are exactly 0 (or -0), kept incrementally by the model; ``None``
    # makes the renderer count them itself (exports of arrays that have no model behind them).
    exact_zeros: int | None = None
    # What the rows and columns are, when they mean something (a batch: ("samples", "units")):
    # the title then reads "100 samples × 64 units" instead of "100×64".
    axis_names: tuple[str, str] | None = None

    @property
    def operator(self) -> str:
        """The mask's comparison as code writes it: ``<=`` or ``<``."""
        return operator_text(self.inclusive)

    @property
    def title(self) -> str:
        """The panel's expression as written in NumPy code."""
        return {
            "z": "z",
            "dvalues": "dvalues",
            "mask": f"mask = z {self.operator} 0",
            "drelu": "drelu",
        }[self.role]
