"""What one pass through the network saw, copied: per-layer tensors, ReLU gate statistics, the update.

No Qt here: this module is plain NumPy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["LayerRecord", "PassRecord", "ReluStats", "relu_stats"]


@dataclass(frozen=True)
class ReluStats:
    """Whole-batch gate statistics of one ReLU layer.

    Attributes
    ----------
    pass_fraction : numpy.ndarray
        ``(units,)`` fraction of samples whose gradient passed (``z > 0``) at each unit.
    dead : numpy.ndarray
        ``(units,)`` bool, True where the unit blocked the gradient for every sample.
    dead_count : int
        ``dead.sum()``.
    blocked : int
        Number of blocked gradients in the batch (``(z <= 0).sum()``).
    total : int
        ``z.size``.
    """

    pass_fraction: np.ndarray
    dead: np.ndarray
    dead_count: int
    blocked: int
    total: int


def relu_stats(z: np.ndarray) -> ReluStats:
    """Return the whole-batch :class:`ReluStats` of a ReLU layer whose inputs were ``z``.

    Parameters
    ----------
    z : numpy.ndarray
        ``(batch, units)`` inputs of the ReLU.
    """
    passed = ~(np.asarray(z) <= 0)
    n = max(passed.shape[0], 1)
    fraction = passed.sum(axis=0) / n
    dead = ~passed.any(axis=0)
    return ReluStats(
        pass_fraction=fraction,
        dead=dead,
        dead_count=int(dead.sum()),
        blocked=int(passed.size - passed.sum()),
        total=int(passed.size),
    )


@dataclass(frozen=True)
class LayerRecord:
    """Copies of every tensor one layer saw in a forward + backward pass.

    Attributes
    ----------
    index : int
        Position in :attr:`Network.layers` (the loss layer comes last).
    name, kind : str
        ``"Dense 1"`` / ``"dense"``, ``"ReLU 1"`` / ``"relu"``,
        ``"Softmax + loss"`` / ``"softmax_cce"``.
    inputs, output, dvalues, dinputs : numpy.ndarray
        For a ReLU ``inputs`` is ``z``; for the loss layer ``output`` is the softmax.
    weights, biases, dweights, dbiases : numpy.ndarray or None
        Dense layers only (``weights``/``biases`` as used in the pass, before any update).
    """

    index: int
    name: str
    kind: str
    inputs: np.ndarray
    output: np.ndarray
    dvalues: np.ndarray
    dinputs: np.ndarray
    weights: np.ndarray | None = None
    biases: np.ndarray | None = None
    dweights: np.ndarray | None = None
    dbiases: np.ndarray | None = None


@dataclass(frozen=True)
class PassRecord:
    """One forward + backward pass (and optionally its SGD update) with every tensor copied.

    Attributes
    ----------
    layers : tuple of LayerRecord
        In forward order, the loss layer last.
    x, y : numpy.ndarray
        The batch and its labels.
    sample_ids : numpy.ndarray
        Indices of the batch rows in the whole dataset.
    loss, accuracy : float
        Batch loss (as the network's dtype computed it) and accuracy.
    predictions : numpy.ndarray
        ``argmax`` of the softmax per sample.
    relu : tuple of ReluStats
        Whole-batch gate statistics per ReLU layer.
    step : int
        Train steps taken before this pass.
    learning_rate : float or None
        Set when the pass ended with an SGD update.
    new_weights, new_biases : tuple of numpy.ndarray
        Dense parameters after the update (equal to the pass's own when there was none).
    """

    layers: tuple[LayerRecord, ...]
    x: np.ndarray
    y: np.ndarray
    sample_ids: np.ndarray
    loss: float
    accuracy: float
    predictions: np.ndarray
    relu: tuple[ReluStats, ...]
    step: int
    learning_rate: float | None
    new_weights: tuple[np.ndarray, ...]
    new_biases: tuple[np.ndarray, ...]

    @property
    def batch_size(self) -> int:
        """Rows in the batch."""
        return int(self.x.shape[0])

    @property
    def dense(self) -> tuple[LayerRecord, ...]:
        """The dense layer records in forward order."""
        return tuple(r for r in self.layers if r.kind == "dense")

    @property
    def relus(self) -> tuple[LayerRecord, ...]:
        """The ReLU layer records in forward order."""
        return tuple(r for r in self.layers if r.kind == "relu")

    @property
    def loss_layer(self) -> LayerRecord:
        """The softmax + cross-entropy record."""
        return self.layers[-1]

