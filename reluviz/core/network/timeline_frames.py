"""The step-by-step frame builder behind :func:`reluviz.core.network.timeline.build_timeline`.

One method per phase of a pass — forward through each dense and ReLU layer, the loss, backward
through the loss and each layer, the SGD update — each adding its frames with their step-card text
and live numbers. Pure NumPy, no Qt.
"""

from __future__ import annotations

import numpy as np

from reluviz.core.io.cell_value import format_value
from reluviz.core.network.frames import Frame, Phase, Scene, format_column
from reluviz.core.network.record import LayerRecord, PassRecord

__all__ = ["BEFORE_GATE", "TRANSPOSE_NOTE", "FrameBuilder", "card_number", "uniform_outputs"]


def card_number(v: float) -> str:
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


class FrameBuilder:
    """Builds the frames of one pass for one batch row (``sample``) or the whole batch (``None``).

    ``scales`` maps ``(column, quantity)`` to the largest magnitude over the whole pass (the
    :attr:`seen` of a first build), so a second build formats every frame with one scale.
    """

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
        """Every frame of the pass in play order: forward, loss, backward, then any SGD update."""
        for layer in self.rec.layers[:-1]:
            if layer.kind == "dense":
                self.forward_dense(layer)
            else:
                self.forward_relu(layer)
        self.loss()
        self.loss_backward()
        for layer in reversed(self.rec.layers[:-1]):
            if layer.kind == "dense":
                self.backward_dense(layer)
            else:
                self.backward_relu(layer)
        self.update()
        return tuple(self.frames)

    def forward_dense(self, layer: LayerRecord) -> None:
        """The frame of one dense layer's forward pass: ``z = inputs · W + b``."""
        s, where = self.sample, self.where
        c = self._dense_pos[layer.index] + 1
        self.set_column(c, _pick(layer.output, s), "z")
        vals = _pick(layer.output, s)
        u = int(np.argmax(vals))
        if s is None:
            found = f"Whole batch: largest mean z = {card_number(vals[u])} at unit {u} (column {u} of z)."
        else:
            found = f"Sample {s}: largest z = {card_number(vals[u])} at unit {u}, z[{s}, {u}]."
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
            summary=f"{layer.name} forward · {where}: largest z = {card_number(vals[u])} at unit {u}",
        )

    def forward_relu(self, layer: LayerRecord) -> None:
        """The frame of one ReLU's forward pass: which gates close."""
        rec, s, n = self.rec, self.sample, self.rec.batch_size
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

    def loss(self) -> None:
        """The softmax + cross-entropy frame: the probabilities and the batch loss."""
        rec, s = self.rec, self.sample
        loss_layer = rec.loss_layer
        last = len(self.sizes) - 1
        self.set_column(last, _pick(loss_layer.output, s), "p = softmax(z)")
        if s is not None:
            cls = int(rec.y[s])
            p = float(loss_layer.output[s, cls])
            sample_text = (
                f"Sample {s} (class {cls}) gives its class p = {card_number(p)}, "
                f"loss −log p = {card_number(-np.log(np.clip(p, 1e-7, 1 - 1e-7)))}. "
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

    def loss_backward(self) -> None:
        """The frame of the loss backward: ``dL/dz = (p − one_hot(y)) / N``, and when outputs are uniform."""
        s, where, n = self.sample, self.where, self.rec.batch_size
        loss_layer = self.rec.loss_layer
        last = len(self.sizes) - 1
        self.set_column(last, _pick(loss_layer.dinputs, s), "dL/dz")
        grads = _pick(loss_layer.dinputs, s)
        classes = loss_layer.output.shape[1]
        uniform = ""
        if uniform_outputs(loss_layer.output):
            uniform = (
                f" Every p of this pass is 1/{classes} to 3 decimals (outputs start uniform), so "
                f"every sample gets (1/{classes} − 1)/{n} = {card_number((1 / classes - 1) / n)} for its class "
                f"and (1/{classes})/{n} = {card_number(1 / classes / n)} for the others."
            )
        elif s is not None and uniform_outputs(loss_layer.output[s : s + 1]):
            uniform = (
                f" Sample {s}'s p are all 1/{classes} to 3 decimals (outputs start near uniform), so "
                f"these are ≈ (1/{classes} − 1)/{n} = {card_number((1 / classes - 1) / n)} for its class and "
                f"(1/{classes})/{n} = {card_number(1 / classes / n)} for the others."
            )
        self.add(
            Phase.BACKWARD,
            loss_layer,
            "softmax_cce",
            ("output", "y", "dinputs"),
            0.8,
            f"Softmax + cross-entropy backward: dL/dz = (p − one_hot(y)) / N, N = {n}. "
            f"{where.capitalize()}{' mean' if s is None else ''}, classes 0–{len(grads) - 1}: "
            f"{', '.join(card_number(v) for v in grads)}.{uniform}",
            active_column=last,
            direction=-1,
            summary=f"Softmax + loss backward · {where}: dL/dz = (p − one_hot(y)) / {n}",
        )

    def backward_dense(self, layer: LayerRecord) -> None:
        """The frame of one dense layer's backward pass: ``dW``, ``db`` and ``dinputs``."""
        s, where = self.sample, self.where
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
            largest = f"Largest |dW| (whole batch) = {card_number(abs(drawn[i, j]))} at dW[{i}, {j}]"
        else:
            bi, bj = _argmax_abs(layer.dweights)
            largest = (
                f"Lines: sample {s}'s share of dW, inputs[{s}]ᵀ · dvalues[{s}]; its largest "
                f"|dW| = {card_number(abs(drawn[i, j]))} at dW[{i}, {j}]"
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
            largest_whole = card_number(abs(layer.dweights[bi, bj]))
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
            summary=f"{layer.name} backward · {where}: largest |dW| = {card_number(abs(drawn[i, j]))} "
            f"at dW[{i}, {j}]",
        )

    def backward_relu(self, layer: LayerRecord) -> None:
        """The frame of one ReLU's backward pass: the mask ``z <= 0`` blocks gradients."""
        rec, s, n = self.rec, self.sample, self.rec.batch_size
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

    def update(self) -> None:
        """One SGD update frame per dense layer, when the pass ended with a train step."""
        rec = self.rec
        if rec.learning_rate is None:
            return
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
                f"Largest change {card_number(change[i, j])} at W[{i}, {j}].",
                active_column=b + 1,
                active_block=b,
                direction=+1,
                summary=f"SGD update {layer.name} (lr {lr:g}): largest change {card_number(change[i, j])} "
                f"at W[{i}, {j}]",
            )
