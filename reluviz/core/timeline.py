"""Turn one recorded pass into ordered animation frames: pure data, no Qt.

A :class:`Timeline` holds :class:`Frame` objects in play order — forward through every layer,
the loss, backward through every layer, and (after a train step) the SGD update of each dense
layer. Each frame names its layer, phase and tensors, carries a :class:`Scene` (the numbers the
view paints: node values, edge values, ReLU gates, pulses) and the step-card text with live
numbers. The view only plays frames; :meth:`Timeline.locate` maps a time in seconds to
``(frame index, progress)`` so pulses can be interpolated at any frame rate.

Diagram columns: column 0 holds the inputs, column ``c`` the outputs of dense layer ``c``.
ReLU ``c`` acts on column ``c``; the softmax on the last column. Dense layer ``c`` owns the
edges from column ``c - 1`` to column ``c`` ("edge block" ``c - 1``).

Indices are NumPy's, 0-based, everywhere a frame shows one: "sample 3" is row 3 of the batch (row 3
of every ``z`` the "Open ReLU n in arrays" button loads), "unit 4" is column 4 of that layer's ``z``
and ``W[1, 4]`` is the weight from unit 1 of the column before to unit 4. Layer names ("Dense 1",
"ReLU 2") are names that count from 1, never indices, and the step cards always write an index
with the word it indexes ("sample", "unit", "row") or in brackets, so the two never mix.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from enum import Enum

import numpy as np

from reluviz.core.cell_value import format_value
from reluviz.core.network import PRESETS, LayerRecord, PassRecord, build_network, relu_stats

__all__ = [
    "Frame",
    "Phase",
    "Scene",
    "Timeline",
    "build_timeline",
    "default_sample",
    "first_mixed_sample",
    "format_column",
    "preset_difference",
    "uniform_outputs",
]

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


def first_mixed_sample(record: PassRecord) -> int:
    """The batch row the network view (and ``reluviz export --view network``) opens on.

    The first row whose every ReLU layer has both open (``z > 0``) and closed gates *and* whose
    input ``x`` is at least as far from the origin as the batch's median row: the spiral starts at
    the origin, where every ``z`` is tiny (sample 0 is exactly 0, every gate closed) and the
    numbers on the nodes read as noise. If no row qualifies, the same preference is tried with
    weaker gate conditions in turn — a mix in every ReLU layer at any norm, then a mix in any ReLU
    layer (large norm first), then any open gate (large norm first) — and finally row 0.

    Parameters
    ----------
    record : PassRecord

    Returns
    -------
    int
        A 0-based row of the batch.
    """
    if not record.relus or record.batch_size == 0:
        return 0
    norms = np.linalg.norm(np.asarray(record.x, dtype=np.float64).reshape(record.batch_size, -1), axis=1)
    big = norms >= np.median(norms)
    closed = [r.inputs <= 0 for r in record.relus]
    mixed = np.stack([c.any(axis=1) & ~c.all(axis=1) for c in closed])  # (relus, batch)
    some_open = np.stack([~c.all(axis=1) for c in closed]).any(axis=0)
    for rows in (
        mixed.all(axis=0) & big,
        mixed.all(axis=0),
        mixed.any(axis=0) & big,
        mixed.any(axis=0),
        some_open & big,
        some_open,
    ):
        hits = np.flatnonzero(rows)
        if hits.size:
            return int(hits[0])
    return 0


default_sample = first_mixed_sample


def _card_number(v: float) -> str:
    """A live number for the step card: 4 significant digits."""
    return format_value(v, 4)


def _pick(a: np.ndarray, sample: int | None) -> np.ndarray:
    """One row of a ``(batch, units)`` tensor, or the batch mean."""
    return a[sample] if sample is not None else a.mean(axis=0)


def _argmax_abs(a: np.ndarray) -> tuple[int, ...]:
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(np.abs(a))), a.shape))


def _units(indices: np.ndarray, limit: int = 8) -> str:
    """``"unit 2"``, ``"units 0, 3, 5"`` (0-based); ``""`` for none; the first ``limit`` and "…"."""
    idx = [int(i) for i in np.asarray(indices).ravel()]
    if not idx:
        return ""
    shown = ", ".join(str(i) for i in idx[:limit]) + (", …" if len(idx) > limit else "")
    return f"unit{'' if len(idx) == 1 else 's'} {shown}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# Which quantity a node label shows, for choosing its scale once per pass. A ReLU's output equals
# its input where the gate is open and dL/dz equals dL/da there, so each pair shares one scale:
# the same number is then written the same way in every frame.
_QUANTITY = {
    "x": "x",
    "z": "forward",
    "a = max(0, z)": "forward",
    "p = softmax(z)": "p",
    "dL/dx": "gradient",
    "dL/da": "gradient",
    "dL/dz": "gradient",
}

# The transpose is explained once per timeline, on the first dense backward frame.
TRANSPOSE_NOTE = "ᵀ is the transpose: rows ↔ columns"

BEFORE_GATE = "dL/da, before the gate"


def uniform_outputs(probabilities: np.ndarray, decimals: int = 3) -> bool:
    """True when every softmax output equals ``1 / classes`` to ``decimals`` decimals.

    An untrained network with small weights gives every class nearly the same probability, so
    ``dL/dz = (p − one_hot(y)) / N`` has the same two values for every sample; the step card says so
    only when this check holds for the pass shown.

    Examples
    --------
    >>> uniform_outputs(np.full((4, 3), 1 / 3))
    True
    >>> uniform_outputs(np.array([[0.5, 0.25, 0.25]]))
    False
    """
    p = np.asarray(probabilities, dtype=np.float64)
    if p.ndim != 2 or p.size == 0 or not np.all(np.isfinite(p)):
        return False
    return bool(np.max(np.abs(p - 1.0 / p.shape[1])) < 0.5 * 10.0**-decimals)


class _Builder:
    def __init__(
        self, rec: PassRecord, sample: int | None, scales: dict[tuple[int, str], float] | None = None
    ) -> None:
        self.rec = rec
        self.sample = sample
        # Largest |value| of each (column, quantity) over the whole pass; filled by a first build
        # and passed to the second, which formats every frame with it.
        self.scales = scales
        self.seen: dict[tuple[int, str], float] = {}
        self.explained_transpose = False
        self.dense = rec.dense
        self.relus = rec.relus
        self._dense_pos = {d.index: i for i, d in enumerate(self.dense)}
        self._relu_pos = {r.index: i for i, r in enumerate(self.relus)}
        n_cols = len(self.dense) + 1
        self.sizes = (self.dense[0].weights.shape[0], *(d.weights.shape[1] for d in self.dense))
        self.node_values: list[np.ndarray | None] = [None] * n_cols
        self.node_symbol: list[str] = [""] * n_cols
        self.node_values[0] = _pick(rec.x, sample)
        self.node_symbol[0] = "x"
        self.edge_values: list[np.ndarray] = [d.weights for d in self.dense]
        self.edge_kind: list[str] = ["weight"] * len(self.dense)
        self.gates: list[np.ndarray | None] = [None] * len(self.relus)
        self.frames: list[Frame] = []
        self.t = 0.0
        titles = ["Input x"]
        for c in range(1, n_cols):
            if c - 1 < len(self.relus):
                titles.append(f"Dense {c} · ReLU {c}")
            else:
                titles.append(f"Dense {c} · Softmax")
        self.titles = tuple(titles)
        # "sample 3" is always row 3 of the batch, 0-based like the arrays; in sentences it is
        # written with its word so it never reads as a layer number ("ReLU 1").
        self.where = f"sample {sample}" if sample is not None else "whole batch"
        n = rec.batch_size
        if sample is None:
            self.shown = f"mean of {n} samples"
        else:
            row = int(rec.sample_ids[sample])
            data_row = f", data row {row}" if row != sample else ""
            self.shown = f"sample {sample} (rows 0–{n - 1}{data_row}) · class {int(rec.y[sample])}"

    def set_column(self, col: int, values: np.ndarray, symbol: str) -> None:
        self.node_values[col] = values
        self.node_symbol[col] = symbol
        v = np.abs(np.asarray(values, dtype=np.float64))
        v = v[np.isfinite(v)]
        if v.size:
            key = (col, _QUANTITY[symbol])
            self.seen[key] = max(self.seen.get(key, 0.0), float(v.max()))

    def closed_shows_number(self, col: int) -> bool:
        """Column ``col`` shows dL/da and a closed unit there shows a non-zero number."""
        if self.node_symbol[col] != "dL/da" or col < 1 or col - 1 >= len(self.gates):
            return False
        gates, values = self.gates[col - 1], self.node_values[col]
        return gates is not None and values is not None and bool(np.any(gates & (values != 0)))

    def grad_edges(self, d: LayerRecord) -> np.ndarray:
        assert d.dweights is not None
        if self.sample is None:
            return d.dweights
        # This sample's contribution to dW: outer(x_s, dvalues_s).
        return np.outer(d.inputs[self.sample], d.dvalues[self.sample])

    def add(
        self,
        phase: Phase,
        layer: LayerRecord | None,
        kind: str,
        tensors: tuple[str, ...],
        duration: float,
        text: str,
        active_column: int,
        active_block: int | None = None,
        direction: int = 0,
        gate_pulse: int | None = None,
        summary: str = "",
    ) -> None:
        texts: list[tuple[str, ...]] = []
        captions: list[str] = []
        for col, (vals, sym) in enumerate(zip(self.node_values, self.node_symbol, strict=True)):
            reference = self.scales.get((col, _QUANTITY[sym])) if self.scales and sym else None
            labels, scale = format_column(vals, reference)
            texts.append(labels)
            name = BEFORE_GATE if self.closed_shows_number(col) else sym
            captions.append(f"{name} {scale}".strip() if sym else "")
        scene = Scene(
            sizes=self.sizes,
            titles=self.titles,
            captions=tuple(captions),
            node_values=tuple(self.node_values),
            node_text=tuple(texts),
            edge_values=tuple(self.edge_values),
            edge_kind=tuple(self.edge_kind),
            relu_columns=tuple(range(1, len(self.relus) + 1)),
            gates=tuple(self.gates),
            pass_fraction=tuple(s.pass_fraction for s in self.rec.relu),
            dead_count=tuple(s.dead_count for s in self.rec.relu),
            sample=self.sample,
            active_column=active_column,
            active_block=active_block,
            direction=direction,
            gate_pulse=gate_pulse,
            shown=self.shown,
        )
        self.frames.append(
            Frame(
                index=len(self.frames),
                phase=phase,
                layer=layer.index if layer is not None else -1,
                layer_name=layer.name if layer is not None else "SGD",
                kind=kind,
                tensors=tensors,
                start=self.t,
                duration=duration,
                text=text,
                scene=scene,
                summary=summary or text.split(". ")[0],
            )
        )
        self.t += duration

    def closed(self, relu_i: int) -> np.ndarray:
        z = self.relus[relu_i].inputs
        if self.sample is not None:
            return z[self.sample] <= 0
        return self.rec.relu[relu_i].dead.copy()

    def build(self) -> tuple[Frame, ...]:
        rec, s, where = self.rec, self.sample, self.where
        n = rec.batch_size
        # ---- forward
        for layer in rec.layers[:-1]:
            if layer.kind == "dense":
                c = self._dense_pos[layer.index] + 1
                self.set_column(c, _pick(layer.output, s), "z")
                vals = _pick(layer.output, s)
                u = int(np.argmax(vals))
                if s is None:
                    found = f"Whole batch: largest mean z = {_card_number(vals[u])} at unit {u} (column {u} of z)."
                else:
                    found = f"Sample {s}: largest z = {_card_number(vals[u])} at unit {u}, z[{s}, {u}]."
                self.add(
                    Phase.FORWARD,
                    layer,
                    "dense",
                    ("inputs", "weights", "biases", "output"),
                    1.0,
                    f"{layer.name} forward: z = inputs · W + b, {self.sizes[c - 1]} inputs → "
                    f"{self.sizes[c]} units. {found}",
                    active_column=c,
                    active_block=c - 1,
                    direction=+1,
                    summary=f"{layer.name} forward · {where}: largest z = {_card_number(vals[u])} at unit {u}",
                )
            else:
                r = self._relu_pos[layer.index]
                c = r + 1
                gates = self.closed(r)
                self.gates[r] = gates
                self.set_column(c, _pick(layer.output, s), "a = max(0, z)")
                stats = rec.relu[r]
                units = self.sizes[c]
                if s is not None:
                    k = int(gates.sum())
                    which = f" ({_units(np.flatnonzero(gates))})" if k else ""
                    text = (
                        f"{layer.name} forward: a = max(0, z). Sample {s}: {k} of {units} units"
                        f"{which} have z <= 0, output 0 and close their gate."
                    )
                    summary = f"{layer.name} forward · sample {s}: {k} of {units} gates closed"
                else:
                    dead = stats.dead_count
                    which = f" ({_units(np.flatnonzero(stats.dead))})" if dead else ""
                    text = (
                        f"{layer.name} forward: a = max(0, z). Whole batch: {stats.blocked} of "
                        f"{stats.total} inputs are <= 0; {_plural(dead, 'dead unit')}{which} with "
                        f"z <= 0 for all {n} samples."
                    )
                    summary = (
                        f"{layer.name} forward · whole batch: {_plural(dead, 'dead unit')}{which}, "
                        f"{stats.blocked} of {stats.total} inputs <= 0"
                    )
                self.add(
                    Phase.FORWARD,
                    layer,
                    "relu",
                    ("z", "output"),
                    0.8,
                    text,
                    active_column=c,
                    gate_pulse=r,
                    direction=+1,
                    summary=summary,
                )
        # ---- loss
        loss_layer = rec.loss_layer
        last = len(self.sizes) - 1
        self.set_column(last, _pick(loss_layer.output, s), "p = softmax(z)")
        if s is not None:
            cls = int(rec.y[s])
            p = float(loss_layer.output[s, cls])
            sample_text = (
                f"Sample {s} (class {cls}) gives its class p = {_card_number(p)}, "
                f"loss −log p = {_card_number(-np.log(np.clip(p, 1e-7, 1 - 1e-7)))}. "
            )
        else:
            sample_text = ""
        self.add(
            Phase.LOSS,
            loss_layer,
            "softmax_cce",
            ("inputs", "output", "y"),
            1.0,
            f"Softmax + cross-entropy: {sample_text}Batch loss {rec.loss:.7g}, accuracy "
            f"{rec.accuracy:.4g}.",
            active_column=last,
            summary=f"Softmax + loss · batch loss {rec.loss:.7g}, accuracy {rec.accuracy:.4g}",
        )
        # ---- backward
        self.set_column(last, _pick(loss_layer.dinputs, s), "dL/dz")
        grads = _pick(loss_layer.dinputs, s)
        classes = loss_layer.output.shape[1]
        uniform = ""
        if uniform_outputs(loss_layer.output):
            uniform = (
                f" Every p of this pass is 1/{classes} to 3 decimals (outputs start uniform), so "
                f"every sample gets (1/{classes} − 1)/{n} = {_card_number((1 / classes - 1) / n)} for its class "
                f"and (1/{classes})/{n} = {_card_number(1 / classes / n)} for the others."
            )
        elif s is not None and uniform_outputs(loss_layer.output[s : s + 1]):
            uniform = (
                f" Sample {s}'s p are all 1/{classes} to 3 decimals (outputs start near uniform), so "
                f"these are ≈ (1/{classes} − 1)/{n} = {_card_number((1 / classes - 1) / n)} for its class and "
                f"(1/{classes})/{n} = {_card_number(1 / classes / n)} for the others."
            )
        self.add(
            Phase.BACKWARD,
            loss_layer,
            "softmax_cce",
            ("output", "y", "dinputs"),
            0.8,
            f"Softmax + cross-entropy backward: dL/dz = (p − one_hot(y)) / N, N = {n}. "
            f"{where.capitalize()}{' mean' if s is None else ''}, classes 0–{len(grads) - 1}: "
            f"{', '.join(_card_number(v) for v in grads)}.{uniform}",
            active_column=last,
            direction=-1,
            summary=f"Softmax + loss backward · {where}: dL/dz = (p − one_hot(y)) / {n}",
        )
        for layer in reversed(rec.layers[:-1]):
            if layer.kind == "dense":
                b = self._dense_pos[layer.index]
                self.edge_values[b] = self.grad_edges(layer)
                self.edge_kind[b] = "grad"
                self.set_column(b, _pick(layer.dinputs, s), "dL/dx" if b == 0 else "dL/da")
                assert layer.dweights is not None
                # The card names the largest entry of what the lines draw: the whole batch's dW,
                # or in one-sample mode this sample's share of it.
                drawn = self.edge_values[b]
                i, j = _argmax_abs(drawn)
                src = f"input x[:, {i}]" if b == 0 else f"{self.relus[b - 1].name}'s unit {i}"
                if s is None:
                    largest = f"Largest |dW| (whole batch) = {_card_number(abs(drawn[i, j]))} at dW[{i}, {j}]"
                else:
                    bi, bj = _argmax_abs(layer.dweights)
                    largest = (
                        f"Lines: sample {s}'s share of dW, inputs[{s}]ᵀ · dvalues[{s}]; its largest "
                        f"|dW| = {_card_number(abs(drawn[i, j]))} at dW[{i}, {j}]"
                    )
                note = ""
                if not self.explained_transpose:
                    note = f" ({TRANSPOSE_NOTE})"
                    self.explained_transpose = True
                closed = ""
                if self.closed_shows_number(b):
                    closed = (
                        f" Closed units show dL/da, before the gate: {self.relus[b - 1].name} "
                        f"backward zeroes them next."
                    )
                whole = ""
                if s is not None:
                    largest_whole = _card_number(abs(layer.dweights[bi, bj]))
                    whole = f" Whole batch: largest |dW| = {largest_whole} at dW[{bi}, {bj}]."
                self.add(
                    Phase.BACKWARD,
                    layer,
                    "dense",
                    ("inputs", "dvalues", "dweights", "dbiases", "dinputs"),
                    1.0,
                    f"{layer.name} backward: dW = inputsᵀ · dvalues{note}, db = Σ dvalues, "
                    f"dinputs = dvalues · Wᵀ. {largest}, the weight from {src} to "
                    f"{layer.name}'s unit {j}.{whole}{closed}",
                    active_column=b,
                    active_block=b,
                    direction=-1,
                    summary=f"{layer.name} backward · {where}: largest |dW| = {_card_number(abs(drawn[i, j]))} "
                    f"at dW[{i}, {j}]",
                )
            else:
                r = self._relu_pos[layer.index]
                c = r + 1
                self.set_column(c, _pick(layer.dinputs, s), "dL/dz")
                mask = layer.inputs <= 0
                units = mask.shape[1]
                if s is not None:
                    k = int(mask[s].sum())
                    which = f": {_units(np.flatnonzero(mask[s]))}" if k else ""
                    text = (
                        f"{layer.name} backward: mask z <= 0 blocked {k} of {units} gradients "
                        f"(sample {s}, row {s} of z){which}."
                    )
                    summary = (
                        f"{layer.name} backward · sample {s}: {k} of {units} gates closed, "
                        f"{units - k} gradient{' passes' if units - k == 1 else 's pass'}"
                    )
                else:
                    dead = rec.relu[r].dead_count
                    which = f" ({_units(np.flatnonzero(rec.relu[r].dead))})" if dead else ""
                    none = f"{_plural(dead, 'dead unit')}{which} passed none of the" if dead else "no unit blocked all"
                    text = (
                        f"{layer.name} backward: mask z <= 0 blocked {int(mask.sum())} of "
                        f"{mask.size} gradients (whole batch); {none} {n} samples."
                    )
                    summary = (
                        f"{layer.name} backward · whole batch: {int(mask.sum())} of {mask.size} "
                        f"gradients blocked, {_plural(dead, 'dead unit')}{which}"
                    )
                self.add(
                    Phase.BACKWARD,
                    layer,
                    "relu",
                    ("z", "dvalues", "dinputs"),
                    0.9,
                    text,
                    active_column=c,
                    gate_pulse=r,
                    direction=-1,
                    summary=summary,
                )
        # ---- update
        if rec.learning_rate is not None:
            lr = rec.learning_rate
            for b, layer in enumerate(self.dense):
                assert layer.weights is not None
                new_w = rec.new_weights[b]
                change = new_w.astype(np.float64) - layer.weights
                i, j = _argmax_abs(change)
                self.edge_values[b] = new_w
                self.edge_kind[b] = "new"
                self.add(
                    Phase.UPDATE,
                    layer,
                    "update",
                    ("weights", "dweights", "biases", "dbiases"),
                    0.8,
                    f"SGD update {layer.name}: W ← W − {lr:g}·dW, b ← b − {lr:g}·db. "
                    f"Largest change {_card_number(change[i, j])} at W[{i}, {j}].",
                    active_column=b + 1,
                    active_block=b,
                    direction=+1,
                    summary=f"SGD update {layer.name} (lr {lr:g}): largest change {_card_number(change[i, j])} "
                    f"at W[{i}, {j}]",
                )
        return tuple(self.frames)


def build_timeline(record: PassRecord, sample: int | None = 0) -> Timeline:
    """Build the frames of ``record`` for one batch row, or for the whole batch.

    Parameters
    ----------
    record : PassRecord
        A pass from :meth:`reluviz.core.network.NetworkRun.evaluate` or ``train_step``; update
        frames are added when it carries a learning rate.
    sample : int or None, default 0
        Row of the batch to show (0-based, as in ``z[sample]``); ``None`` shows batch means, pass
        fractions and dead units. :func:`default_sample` picks a readable row.

    Returns
    -------
    Timeline
    """
    if sample is not None and not 0 <= sample < record.batch_size:
        raise IndexError(
            f"sample {sample} is outside the batch: rows are 0 to {record.batch_size - 1}"
        )
    # Two builds: the first finds each quantity's largest magnitude over the whole pass, the second
    # formats every frame with that one scale (a number keeps its exponent from frame to frame).
    first = _Builder(record, sample)
    first.build()
    return Timeline(frames=_Builder(record, sample, first.seen).build(), record=record)


def preset_difference(key: str, base: str = "default", seed: int = 0) -> str:
    """One sentence on how preset ``key`` relates to preset ``base``, computed from what they build.

    Both presets are built with ``seed``; the sentence says whether sizes, data, initial weights and
    learning rate agree, names every bias that differs, and counts for how many samples each
    changed first-layer unit has ``z <= 0``.

    Examples
    --------
    >>> print(preset_difference("dead"))  # doctest: +NORMALIZE_WHITESPACE
    Dead unit vs Default (2-6-6-3), seed 0: same layer sizes, data, initial weights, learning rate
    and batch size; only the bias of ReLU 1 unit 2 differs: -1.812 instead of 0, so its z <= 0 for
    all 300 samples: dead from the start.
    """
    a, b = PRESETS[key], PRESETS[base]
    if key == base:
        return f"{a.title} is the base preset."
    net_a, xa, ya, _ = build_network(a, seed)
    net_b, xb, yb, _ = build_network(b, seed)
    same: list[str] = []
    differ: list[str] = []
    (same if a.sizes == b.sizes else differ).append("layer sizes")
    same_data = xa.shape == xb.shape and bool(np.array_equal(xa, xb) and np.array_equal(ya, yb))
    (same if same_data else differ).append("data")
    dense_a, dense_b = net_a.dense_layers, net_b.dense_layers
    same_w = a.sizes == b.sizes and all(
        np.array_equal(da.weights, db.weights) for da, db in zip(dense_a, dense_b, strict=True)
    )
    (same if same_w else differ).append("initial weights")
    (same if a.learning_rate == b.learning_rate else differ).append("learning rate")
    (same if a.batch_size == b.batch_size else differ).append("batch size")
    name = a.title.split(" (")[0]
    head = f"{name} vs {b.title}, seed {seed}: "
    if differ or a.sizes != b.sizes:
        return head + f"differs in {', '.join(differ)}" + (f"; same {', '.join(same)}." if same else ".")
    changes: list[str] = []
    for layer, (da, db) in enumerate(zip(dense_a, dense_b, strict=True)):
        for unit in np.flatnonzero(da.biases[0] != db.biases[0]):
            u = int(unit)
            where = f"ReLU {layer + 1} unit {u}" if layer < len(dense_a) - 1 else f"output {u}"
            ours, theirs = _card_number(da.biases[0, u]), _card_number(db.biases[0, u])
            text = f"the bias of {where} differs: {ours} instead of {theirs}"
            if layer == 0:
                z = np.asarray(xa, dtype=np.float64) @ da.weights + da.biases
                closed = int((z[:, u] <= 0).sum())
                n = len(xa)
                dead = ": dead from the start" if relu_stats(z).dead[u] else ""
                text += f", so its z <= 0 for {'all ' if closed == n else ''}{closed}"
                text += f"{'' if closed == n else f' of {n}'} samples{dead}"
            changes.append(text)
    if not changes:
        return head + "the same network."
    sames = ", ".join([*same[:-2], " and ".join(same[-2:])]) if len(same) > 1 else same[0]
    return head + f"same {sames}; only " + "; ".join(changes) + "."
