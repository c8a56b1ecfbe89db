"""A network being trained on the spiral data, one recorded pass at a time: the network view's model.

No Qt here: this module is plain NumPy.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from reluviz.core.network.presets import PRESETS, NetworkPreset, build_network
from reluviz.core.network.record import PassRecord

__all__ = ["NetworkRun"]


class NetworkRun:
    """A network being trained on the spiral data: the model the network view displays.

    Parameters
    ----------
    preset : NetworkPreset or str
        A :class:`NetworkPreset` or a key of :data:`PRESETS`.
    seed : int, default 0
        Seed of the one generator that makes the data, the weights and the batch order.
    batch_size : int or None, optional
        Overrides the preset's batch size (``None`` keeps it; ``0`` means the whole dataset).
    learning_rate : float, optional
        Overrides the preset's learning rate.
    """

    def __init__(
        self,
        preset: NetworkPreset | str = "default",
        seed: int = 0,
        batch_size: int | None = None,
        learning_rate: float | None = None,
    ) -> None:
        p = PRESETS[preset] if isinstance(preset, str) else preset
        if batch_size is not None:
            p = replace(p, batch_size=None if batch_size <= 0 else batch_size)
        if learning_rate is not None:
            p = replace(p, learning_rate=float(learning_rate))
        self.preset = p
        self.seed = seed
        self.network, self.x, self.y, rs = build_network(p, seed)
        n = len(self.x)
        # Only draw from the generator when batching, so book mode leaves it as the book does.
        self._order = rs.permutation(n) if p.batch_size and p.batch_size < n else np.arange(n)
        self.step = 0
        self.trained_learning_rates: list[float] = []
        self.loss_history: list[float] = []
        self.accuracy_history: list[float] = []

    @property
    def learning_rate(self) -> float:
        """The SGD learning rate."""
        return self.preset.learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self.preset = replace(self.preset, learning_rate=float(value))

    def batch_ids(self, step: int | None = None) -> np.ndarray:
        """Dataset rows of the batch used at train step ``step`` (default: the current one)."""
        n = len(self.x)
        size = self.preset.batch_size or n
        size = min(size, n)
        k = self.step if step is None else step
        n_batches = max(n // size, 1)
        start = (k % n_batches) * size
        return self._order[start : start + size]

    def evaluate(self) -> PassRecord:
        """Forward + backward on the current batch, without changing the weights."""
        ids = self.batch_ids()
        x, y = self.x[ids], self.y[ids]
        self.network.forward(x, y)
        self.network.backward(y)
        return self.network.record(x, y, ids, self.step)

    def train_step(self) -> PassRecord:
        """Forward + backward on the current batch, then one SGD update; move to the next batch."""
        rec = self.evaluate()
        lr = self.preset.learning_rate
        self.network.sgd_update(lr)
        dense = self.network.dense_layers
        rec = replace(
            rec,
            learning_rate=lr,
            new_weights=tuple(d.weights.copy() for d in dense),
            new_biases=tuple(d.biases.copy() for d in dense),
        )
        self.loss_history.append(rec.loss)
        self.accuracy_history.append(rec.accuracy)
        # Training is deterministic given preset, seed and batch size: these rates replay it.
        self.trained_learning_rates.append(lr)
        self.step += 1
        return rec
