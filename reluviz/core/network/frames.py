"""The frames of one pass: :class:`Phase`, :class:`Scene`, :class:`Frame`, :class:`Timeline`, and node labels.

Pure data, no Qt: :mod:`reluviz.core.network.timeline` builds these from a recorded pass, and the
network painter only reads them. The diagram's columns and the 0-based indices are described in
:mod:`reluviz.core.network.timeline`.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from enum import Enum

import numpy as np

from reluviz.core.io.cell_value import format_value
from reluviz.core.network.record import PassRecord

__all__ = ["Frame", "Phase", "Scene", "Timeline", "format_column"]

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


class Phase(str, Enum):
    """Which part of a training step a frame shows."""

    FORWARD = "forward"
    LOSS = "loss"
    BACKWARD = "backward"
    UPDATE = "update"


@dataclass(frozen=True)
class Scene:
    """Everything the view paints for one frame, as plain numbers and strings.

    Attributes
    ----------
    sizes : tuple of int
        Units per column.
    titles : tuple of str
        Column titles (``"Input x"``, ``"Dense 1 · ReLU 1"``, …).
    captions : tuple of str
        What the node labels in each column show, with the column's scale (``"z ×10⁻³"``).
    node_values : tuple of numpy.ndarray or None
        Per column, the shown values (``None``: nothing computed there yet).
    node_text : tuple of tuple of str
        The node labels, already scaled and formatted.
    edge_values : tuple of numpy.ndarray
        Per edge block, ``(n_in, n_out)`` values sizing the edges (weights or weight gradients).
    edge_kind : tuple of str
        Per edge block: ``"weight"``, ``"grad"`` (``dW``) or ``"new"`` (weights after an update).
    relu_columns : tuple of int
        The column of each ReLU layer.
    gates : tuple of numpy.ndarray or None
        Per ReLU, bool ``(units,)``: True where the gate is closed (``z <= 0``) for the shown
        sample, or for every sample in whole-batch mode (dead units). ``None`` before the ReLU
        has run.
    pass_fraction : tuple of numpy.ndarray
        Per ReLU, whole-batch fraction of samples that passed at each unit.
    dead_count : tuple of int
        Per ReLU, units closed for every sample of the batch.
    sample : int or None
        Row of the batch shown, ``None`` for whole-batch means.
    active_column : int
        Column in focus (``-1`` for none).
    active_block : int or None
        Edge block with travelling pulses.
    direction : int
        ``+1`` forward, ``-1`` backward, ``0`` no travel.
    gate_pulse : int or None
        ReLU index whose gates pulses cross in this frame (stopping at closed gates).
    shown : str
        What the frame shows, for a label on the picture: ``"sample 3 (rows 0–299) · class 0"``
        (0-based, as in the arrays) or ``"mean of 300 samples"``.
    """

    sizes: tuple[int, ...]
    titles: tuple[str, ...]
    captions: tuple[str, ...]
    node_values: tuple[np.ndarray | None, ...]
    node_text: tuple[tuple[str, ...], ...]
    edge_values: tuple[np.ndarray, ...]
    edge_kind: tuple[str, ...]
    relu_columns: tuple[int, ...]
    gates: tuple[np.ndarray | None, ...]
    pass_fraction: tuple[np.ndarray, ...]
    dead_count: tuple[int, ...]
    sample: int | None
    active_column: int
    active_block: int | None
    direction: int
    gate_pulse: int | None
    shown: str = ""


@dataclass(frozen=True)
class Frame:
    """One step of the animation.

    Attributes
    ----------
    index : int
        Position in the timeline.
    phase : Phase
    layer : int
        Index of the layer in :attr:`PassRecord.layers` (``-1`` for none).
    layer_name : str
    kind : str
        ``"dense"``, ``"relu"``, ``"softmax_cce"`` or ``"update"``.
    tensors : tuple of str
        The tensors this step reads and writes, e.g. ``("z", "dvalues", "dinputs")``.
    start, duration : float
        Seconds at 1× speed.
    text : str
        The step card: one or two sentences with live numbers.
    scene : Scene
    summary : str
        One line for a status bar, e.g. ``"ReLU 1 backward · sample 3: 2 of 6 gates closed"``.
    """

    index: int
    phase: Phase
    layer: int
    layer_name: str
    kind: str
    tensors: tuple[str, ...]
    start: float
    duration: float
    text: str
    scene: Scene
    summary: str = ""

    @property
    def end(self) -> float:
        """``start + duration``."""
        return self.start + self.duration


@dataclass(frozen=True)
class Timeline:
    """Frames in play order.

    Attributes
    ----------
    frames : tuple of Frame
    record : PassRecord
        The pass the frames show.
    """

    frames: tuple[Frame, ...]
    record: PassRecord

    def __len__(self) -> int:
        return len(self.frames)

    @property
    def duration(self) -> float:
        """Total length in seconds at 1× speed."""
        return self.frames[-1].end if self.frames else 0.0

    def locate(self, t: float) -> tuple[int, float]:
        """Return ``(frame index, progress in [0, 1])`` at time ``t`` seconds (clamped)."""
        if not self.frames:
            return 0, 0.0
        t = min(max(t, 0.0), self.duration)
        starts = [f.start for f in self.frames]
        i = max(min(bisect_right(starts, t) - 1, len(self.frames) - 1), 0)
        f = self.frames[i]
        return i, min(max((t - f.start) / f.duration, 0.0), 1.0) if f.duration > 0 else 1.0

    def phase_starts(self) -> list[int]:
        """Indices of the first frame of each phase run (for jump-by-phase)."""
        out: list[int] = []
        for f in self.frames:
            if not out or self.frames[out[-1]].phase != f.phase:
                out.append(f.index)
        return out


def _node_label(v: float) -> str:
    """A node's value in at most four characters and a sign, never reading as 0 unless it is 0.

    ``1.33``, ``12.3``, ``123`` (three significant digits from 1 up), ``0.27``, ``0.07`` (two
    decimals below 1), ``4e-4`` (one digit, scientific, where two decimals would read ``0.00``).
    Short enough to stay legible inside the nodes; the step cards keep four digits.
    """
    if v == 0 or not math.isfinite(v):
        return format_value(v)
    a = abs(v)
    if a >= 1.0:
        return format_value(v, 3, fixed=True)
    if a >= 0.005:  # two decimals show at least 0.01
        return f"{v:.2f}"
    return f"{v:.0e}".replace("e-0", "e-").replace("e+0", "e")


def format_column(values: np.ndarray | None, reference: float | None = None) -> tuple[tuple[str, ...], str]:
    """Format one column of node values for slide-size labels.

    Each label is at most four characters and a sign, so it stays legible inside a small node:
    three significant digits from 1 up (``4.80``, ``-12.3``), two decimals below 1 (``0.50``,
    ``0.07``), and one scientific digit where two decimals would read as zero (``4e-4``), so a
    non-zero value never reads as ``0``. A column whose largest magnitude is below 0.1 or at least
    1000 is scaled by a power of ten named in the returned suffix (``"×10⁻³"``), so its largest
    value shows as 1–9.99.

    Parameters
    ----------
    values : numpy.ndarray or None
    reference : float, optional
        The magnitude the scale is chosen from (default: the column's largest finite ``|value|``).
        A timeline passes the largest magnitude the quantity takes in the whole pass, so one
        number never changes its exponent from frame to frame.

    Returns
    -------
    labels : tuple of str
        One label per value (empty strings for ``None``).
    scale : str
        ``""`` or ``"×10ⁿ"``.
    """
    if values is None:
        return (), ""
    v = np.asarray(values, dtype=np.float64)
    finite = np.abs(v[np.isfinite(v)])
    m = float(finite.max()) if finite.size else 0.0
    if reference is not None and math.isfinite(reference):
        m = abs(float(reference))
    if m == 0 or 0.1 <= m < 1000:
        return tuple(_node_label(float(a)) for a in v), ""
    e = math.floor(math.log10(m))
    return tuple(_node_label(float(a) / 10.0**e) for a in v), "×10" + str(e).translate(_SUPERSCRIPT)
