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

import numpy as np

from reluviz.core.network.frames import Frame, Phase, Scene, Timeline, format_column
from reluviz.core.network.presets import PRESETS, build_network
from reluviz.core.network.record import PassRecord, relu_stats
from reluviz.core.network.timeline_frames import FrameBuilder, card_number, uniform_outputs

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
    first = FrameBuilder(record, sample)
    first.build()
    return Timeline(frames=FrameBuilder(record, sample, first.seen).build(), record=record)


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
            ours, theirs = card_number(da.biases[0, u]), card_number(db.biases[0, u])
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
