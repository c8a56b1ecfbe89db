"""Dead units: why a ReLU unit dies and why it stays dead, measured while training.

The rule: a unit whose ``z <= 0`` for every sample of the batch passes no gradient from any
sample, so its column of ``drelu`` is all zeros; then ``dweights[:, unit] = inputsᵀ · 0`` and
``dbiases[0, unit] = Σ 0`` are zero and SGD leaves its incoming weights and bias exactly as they
were. Each step here checks that, bit for bit, instead of asserting it.

Whether it comes back is measured, not assumed: in the first hidden layer the inputs are the fixed
data, so a unit dead on the whole dataset stays dead; a deeper unit's inputs move as the layers
below it train, so it can revive even with frozen weights (``revived`` records it if it happens).

The "passed %" under a unit in the network view is :attr:`~reluviz.core.network.ReluStats.pass_fraction`:
the share of the batch's samples for which ``z <= 0`` was False at that unit (whose gradient passed).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from reluviz.core.network import NetworkPreset, NetworkRun

__all__ = ["DeadUnitStep", "DeadUnitTrace", "passed_percent_text", "trace_dead_units"]


@dataclass(frozen=True)
class DeadUnitStep:
    """One training step, per ReLU layer.

    Attributes
    ----------
    step : int
        Train steps taken before this one.
    dead : tuple of numpy.ndarray
        Per ReLU layer, bool ``(units,)``: blocked for every sample of the batch.
    dead_count : tuple of int
        ``dead[k].sum()`` per layer.
    drelu_column_zero : tuple of numpy.ndarray
        Per layer, bool ``(units,)``: the unit's column of ``drelu`` (that layer's ``dinputs``) is
        all zeros (every dead unit's is).
    frozen : tuple of numpy.ndarray
        Per layer, bool ``(units,)``: the unit's incoming weights ``W[:, unit]`` and bias
        ``b[0, unit]`` have the same bits after the SGD update as before.
    """

    step: int
    dead: tuple[np.ndarray, ...]
    dead_count: tuple[int, ...]
    drelu_column_zero: tuple[np.ndarray, ...]
    frozen: tuple[np.ndarray, ...]

    @property
    def dead_units_frozen(self) -> bool:
        """Every dead unit's incoming weights and bias came through the step unchanged."""
        return all(bool(np.all(f[d])) for d, f in zip(self.dead, self.frozen, strict=True))


@dataclass(frozen=True)
class DeadUnitTrace:
    """Dead units over a training run.

    Attributes
    ----------
    steps : tuple of DeadUnitStep
        One per step.
    revived : tuple of (step, layer, unit)
        Units dead at some step and alive at the next one (empty when none came back).
    """

    steps: tuple[DeadUnitStep, ...]
    revived: tuple[tuple[int, int, int], ...]

    def counts(self, layer: int) -> list[int]:
        """Dead units of ReLU ``layer`` (0-based) per step: the curve to plot."""
        return [s.dead_count[layer] for s in self.steps]


def _columns_unchanged(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    # Bits per column: -0.0 vs 0.0 or a changed NaN payload would count as a change.
    size = before.dtype.itemsize
    b = np.ascontiguousarray(before).view(np.uint8).reshape(*before.shape, size)
    a = np.ascontiguousarray(after).view(np.uint8).reshape(*after.shape, size)
    return np.all(a == b, axis=(0, 2))


def trace_dead_units(preset: NetworkPreset | str = "dead", steps: int = 50, seed: int = 0,
                     learning_rate: float | None = None) -> DeadUnitTrace:
    """Train a fresh :class:`~reluviz.core.network.NetworkRun` for ``steps`` steps and record dead units.

    Parameters
    ----------
    preset : NetworkPreset or str, default "dead"
        A network preset (its ``dead_units`` start dead).
    steps : int, default 50
        SGD steps to take (at least 1).
    seed : int, default 0
        The run's seed.
    learning_rate : float, optional
        Overrides the preset's (a large one kills units).
    """
    if steps < 1:
        raise ValueError(f"need at least 1 step, got {steps}")
    run = NetworkRun(preset, seed=seed, learning_rate=learning_rate)
    records: list[DeadUnitStep] = []
    for _ in range(steps):
        rec = run.train_step()
        dead, zero_cols, frozen = [], [], []
        for k, (stats, relu) in enumerate(zip(rec.relu, rec.relus, strict=True)):
            dense = rec.dense[k]  # the Dense layer feeding ReLU k
            assert dense.weights is not None and dense.biases is not None
            dead.append(stats.dead.copy())
            zero_cols.append(np.all(relu.dinputs == 0, axis=0))
            frozen.append(_columns_unchanged(dense.weights, rec.new_weights[k])
                          & _columns_unchanged(dense.biases, rec.new_biases[k]))
        records.append(DeadUnitStep(rec.step, tuple(dead), tuple(int(d.sum()) for d in dead),
                                    tuple(zero_cols), tuple(frozen)))
    revived = []
    for before, after in itertools.pairwise(records):
        for k, (d0, d1) in enumerate(zip(before.dead, after.dead, strict=True)):
            revived += [(after.step, k, int(u)) for u in np.nonzero(d0 & ~d1)[0]]
    return DeadUnitTrace(tuple(records), tuple(revived))


def passed_percent_text(pass_fraction: float, batch_size: int) -> str:
    """What a unit's "passed %" counts, with its numbers.

    ``relu_stats`` counts a sample as passed where ``z <= 0`` is False (so a NaN ``z`` passes, as in
    the book's code), hence the sentence says that rather than ``z > 0``.

    Examples
    --------
    >>> passed_percent_text(250 / 300, 300)
    '83% passed: for 250 of 300 samples z <= 0 was False here, so their gradient went through; 50 were blocked.'
    """
    passed = round(pass_fraction * batch_size)
    percent = 100 * passed / batch_size if batch_size else 0.0
    shown = f"{percent:.0f}%"
    if 0 < passed < batch_size and shown in ("0%", "100%"):  # never round a partial count to none or all
        shown = "<1%" if shown == "0%" else ">99%"
    return (f"{shown} passed: for {passed} of {batch_size} samples z <= 0 was False here, so their gradient "
            f"went through; {batch_size - passed} were blocked.")
