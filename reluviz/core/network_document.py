"""The network document: the network the user built and trained, and the sample they follow.

No Qt here. :class:`NetworkDocument` holds what the Network view kept in its combo boxes and spin
boxes until now — the preset, seed and batch size of the network *as built* (by the last Reset),
the learning rate, the Train steps taken (their learning rates, in order) and the followed sample —
and the :class:`~reluviz.core.network.NetworkRun` they determine.

Training is deterministic given preset, seed and batch size, so the Train steps' learning rates
*are* the trained network: :func:`replay_training` rebuilds it, and it is the one replay everyone
uses (the document itself, sessions, the export command line). A long replay reports its progress
to an optional ``progress(done, total) -> bool`` callback, which may cancel it.

The document also answers what the Network view shows — :attr:`NetworkDocument.pass_record` (the
last Train step's pass, or a first pass of the network as built) and
:attr:`NetworkDocument.shown_sample` (the followed row, :data:`DEFAULT_SAMPLE` resolved) — so
sessions, exports and "Open in arrays" never need the view.

Events (``document.events``), each emitted once per change and never for a value set to what it
already is; every handler sees the document's new state in full:

``reset()``
    A new network was built: preset, seed or batch size changed, or Train steps were dropped
    (or replaced by a session's).
``learning_rate(rate)``
    The learning rate for the next Train step changed.
``trained(record)``
    One Train step was taken; ``record`` is its :class:`~reluviz.core.network.PassRecord`.
``sample(sample, whole_batch)``
    The followed batch row, or the whole-batch switch, changed.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from reluviz.core.events import Event
from reluviz.core.network import PRESETS, NetworkRun, PassRecord
from reluviz.core.network.timeline import first_mixed_sample

__all__ = [
    "DEFAULT_SAMPLE",
    "MAX_SEED",
    "NetworkDocument",
    "NetworkEvents",
    "ReplayCancelledError",
    "ReplayProgress",
    "replay_training",
]

ReplayProgress = Callable[[int, int], bool]
"""``progress(done, total)``, called after each replayed Train step; ``False`` cancels the replay."""

MAX_SEED = 2**31 - 1
"""The largest seed (what a Qt int spin box, and a session file, can hold)."""

DEFAULT_SAMPLE = -1
"""The sample value meaning "the row the app opens on" (the first row showing open and closed gates)."""


class ReplayCancelledError(Exception):
    """A Train-step replay was cancelled by its ``progress`` callback."""


def replay_training(
    preset: str,
    seed: int,
    batch_size: int | None,
    learning_rates: Iterable[float],
    progress: ReplayProgress | None = None,
) -> NetworkRun:
    """Build the network of ``preset``/``seed``/``batch_size`` and take one Train step per rate.

    Parameters
    ----------
    preset : str
        A key of :data:`reluviz.core.network.PRESETS`.
    seed : int
        Seed of the one generator that makes the data, the weights and the batch order.
    batch_size : int or None
        Samples per Train step; ``None`` trains on the whole dataset (whatever the preset says).
    learning_rates : iterable of float
        The learning rate of each Train step, in order.
    progress : callable, optional
        ``progress(done, total)`` after each step; returning ``False`` cancels the replay.

    Returns
    -------
    NetworkRun
        The trained network, byte for byte the one the steps produced the first time, with
        ``trained_learning_rates`` equal to ``learning_rates``.

    Raises
    ------
    ReplayCancelledError
        If ``progress`` returned ``False``.
    """
    return _replay(preset, seed, batch_size, list(learning_rates), progress)[0]


def _replay(
    preset: str, seed: int, batch_size: int | None, rates: list[float], progress: ReplayProgress | None
) -> tuple[NetworkRun, PassRecord | None]:
    """:func:`replay_training`, also returning the last Train step's pass (``None`` without steps)."""
    # 0, not None: NetworkRun reads None as "the preset's batch size", 0 as the whole dataset.
    run = NetworkRun(preset, seed=seed, batch_size=0 if batch_size is None else batch_size)
    record = None
    for done, rate in enumerate(rates, start=1):
        run.learning_rate = rate
        record = run.train_step()
        if progress is not None and not progress(done, len(rates)):
            raise ReplayCancelledError(f"replay cancelled after {done} of {len(rates)} Train steps")
    return run, record


@dataclass
class NetworkEvents:
    """The events a :class:`NetworkDocument` emits."""

    reset: Event
    learning_rate: Event
    trained: Event
    sample: Event


class NetworkDocument:
    """The network's settings, its Train steps and the sample the view follows.

    Parameters
    ----------
    preset : str, default "default"
        A key of :data:`reluviz.core.network.PRESETS`.
    seed : int, default 0
        0 to :data:`MAX_SEED`.
    batch_size : int or None, default None
        Samples per Train step (>= 1); ``None`` trains on the whole dataset.

    The learning rate starts at the preset's. The :class:`~reluviz.core.network.NetworkRun` is
    built when first asked for (:attr:`run`), so a document costs nothing until a view shows it.
    """

    def __init__(self, preset: str = "default", seed: int = 0, batch_size: int | None = None) -> None:
        _check_build(preset, seed, batch_size)
        self.events = NetworkEvents(Event("reset"), Event("learning_rate"), Event("trained"), Event("sample"))
        self._preset, self._seed, self._batch_size = preset, int(seed), batch_size
        self._learning_rate = PRESETS[preset].learning_rate
        self._trained: list[float] = []
        self._sample = DEFAULT_SAMPLE
        self._whole_batch = False
        self._run: NetworkRun | None = None
        # The pass on show (the last Train step's, or a first pass) and the row the app opens on
        # for this network: both follow from the run, so both are dropped with it.
        self._record: PassRecord | None = None
        self._opening_sample: int | None = None

    # -- reading -------------------------------------------------------------------------------
    @property
    def preset(self) -> str:
        """Key of the preset the network was built from."""
        return self._preset

    @property
    def seed(self) -> int:
        """Seed the network was built with."""
        return self._seed

    @property
    def batch_size(self) -> int | None:
        """Samples per Train step; ``None`` for the whole dataset."""
        return self._batch_size

    @property
    def learning_rate(self) -> float:
        """Learning rate of the next Train step."""
        return self._learning_rate

    @property
    def trained_learning_rates(self) -> tuple[float, ...]:
        """The learning rate of every Train step taken since the network was built, in order."""
        return tuple(self._trained)

    @property
    def sample(self) -> int:
        """The followed batch row; :data:`DEFAULT_SAMPLE` means the app's default row."""
        return self._sample

    @property
    def whole_batch(self) -> bool:
        """Whether the whole batch is shown instead of one sample."""
        return self._whole_batch

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """Units per layer, inputs first."""
        return PRESETS[self._preset].sizes

    @property
    def run(self) -> NetworkRun:
        """The network in its current state (built, and replayed, on first use)."""
        if self._run is None:
            self._run, self._record = _replay(self._preset, self._seed, self._batch_size, self._trained, None)
        return self._run

    @property
    def pass_record(self) -> PassRecord:
        """The pass to show: the last Train step's (forward, backward and update), or, before any
        Train step, a first pass (forward and backward) of the network as built."""
        run = self.run
        if self._record is None:
            self._record = run.evaluate()
        return self._record

    @property
    def opening_sample(self) -> int:
        """The row the app opens on for this network (what :data:`DEFAULT_SAMPLE` stands for):
        :func:`~reluviz.core.network.timeline.first_mixed_sample` of the network's first pass as built."""
        if self._opening_sample is None:
            if self._trained:
                first = NetworkRun(self._preset, seed=self._seed,
                                   batch_size=0 if self._batch_size is None else self._batch_size).evaluate()
            else:
                first = self.pass_record
            self._opening_sample = first_mixed_sample(first)
        return self._opening_sample

    @property
    def shown_sample(self) -> int | None:
        """The batch row the view follows, ``None`` for the whole batch.

        :data:`DEFAULT_SAMPLE`, or a row beyond this network's batch (a session of another
        batch size), stands for :attr:`opening_sample`.
        """
        if self._whole_batch:
            return None
        if 0 <= self._sample < self.pass_record.batch_size:
            return self._sample
        return self.opening_sample

    # -- changing ------------------------------------------------------------------------------
    def reset(
        self, preset: str | None = None, seed: int | None = None, batch_size: int | Literal["keep"] | None = "keep"
    ) -> None:
        """Build a new network (untrained), from new or the current preset, seed and batch size.

        Parameters
        ----------
        preset, seed : optional
            ``None`` keeps the current one.
        batch_size : int, None or "keep"
            ``None`` trains on the whole dataset; ``"keep"`` (the default) keeps the current one.

        The learning rate returns to the preset's and the followed row to :data:`DEFAULT_SAMPLE`
        (the whole-batch switch is kept). Emits ``reset`` unless the network stays the same (same
        settings and no Train step to drop), then ``learning_rate`` and ``sample`` if they changed.

        Raises
        ------
        ValueError
            For an unknown preset, a seed outside 0..:data:`MAX_SEED` or a batch size below 1;
            nothing changes then.
        """
        new_preset = self._preset if preset is None else preset
        new_seed = self._seed if seed is None else seed
        new_batch = self._batch_size if batch_size == "keep" else batch_size
        _check_build(new_preset, new_seed, new_batch)
        rebuilt = (new_preset, new_seed, new_batch) != (self._preset, self._seed, self._batch_size) or self._trained
        self._take(
            (new_preset, new_seed, new_batch, [], None) if rebuilt else None,
            PRESETS[new_preset].learning_rate if rebuilt else self._learning_rate,
            DEFAULT_SAMPLE,
            self._whole_batch,
        )

    def set_learning_rate(self, rate: float) -> None:
        """Use ``rate`` for the next Train steps.

        Raises
        ------
        ValueError
            If ``rate`` is not a finite number greater than 0.
        """
        rate = _checked_rate(rate)
        if rate == self._learning_rate:
            return
        self._learning_rate = rate
        self.events.learning_rate.emit(rate)

    def train_step(self) -> PassRecord:
        """Take one Train step at the current learning rate; emit ``trained`` with its record."""
        run = self.run
        run.learning_rate = self._learning_rate
        record = run.train_step()
        self._trained.append(self._learning_rate)
        self._record = record
        self.events.trained.emit(record)
        return record

    def set_sample(self, sample: int | None) -> None:
        """Follow batch row ``sample`` (>= 0, or :data:`DEFAULT_SAMPLE`), or ``None`` for the whole batch.

        Choosing the whole batch keeps the row number, so switching back returns to it.

        Raises
        ------
        ValueError
            If ``sample`` is below :data:`DEFAULT_SAMPLE`.
        """
        if sample is None:
            new = (self._sample, True)
        else:
            if isinstance(sample, bool) or int(sample) != sample or sample < DEFAULT_SAMPLE:
                raise ValueError(f"sample {sample!r} is not a batch row (0, 1, 2, ...) or {DEFAULT_SAMPLE}.")
            new = (int(sample), False)
        self._set_sample(*new)

    def _set_sample(self, sample: int, whole_batch: bool) -> None:
        if (sample, whole_batch) != (self._sample, self._whole_batch):
            self._sample, self._whole_batch = sample, whole_batch
            self.events.sample.emit(sample, whole_batch)

    def _install(
        self, preset: str, seed: int, batch_size: int | None, trained: list[float], replayed: tuple | None
    ) -> None:
        """Take a new network (``replayed``: its run and last pass, or ``None`` to build it when used)."""
        self._preset, self._seed, self._batch_size = preset, int(seed), batch_size
        self._trained = trained
        self._run, self._record = replayed if replayed is not None else (None, None)
        self._opening_sample = None

    def restore(
        self,
        preset: str,
        seed: int,
        batch_size: int | None,
        trained_learning_rates: Iterable[float],
        learning_rate: float,
        sample: int,
        whole_batch: bool,
        progress: ReplayProgress | None = None,
    ) -> bool:
        """Install a whole saved state (a session).

        Without ``progress`` the network is replayed when next used; with it, the Train steps
        are replayed now, calling ``progress(done, total)`` after each, and ``False`` from it
        cancels: the document is left exactly as it was.

        Everything is checked before anything changes. Emits ``reset`` if the network differs
        (settings or Train steps), then ``learning_rate`` and ``sample`` if those differ.

        Returns
        -------
        bool
            ``True`` when installed, ``False`` when ``progress`` cancelled the replay.

        Raises
        ------
        ValueError
            For an unknown preset, a seed, batch size, learning rate or sample out of range.
        """
        _check_build(preset, seed, batch_size)
        rates = [_checked_rate(r) for r in trained_learning_rates]
        rate = _checked_rate(learning_rate)
        if isinstance(sample, bool) or int(sample) != sample or sample < DEFAULT_SAMPLE:
            raise ValueError(f"sample {sample!r} is not a batch row (0, 1, 2, ...) or {DEFAULT_SAMPLE}.")
        network = None
        if (preset, seed, batch_size, rates) != (self._preset, self._seed, self._batch_size, self._trained):
            replayed = None
            if progress is not None:
                try:
                    replayed = _replay(preset, seed, batch_size, rates, progress)
                except ReplayCancelledError:
                    return False
            network = (preset, seed, batch_size, rates, replayed)
        # The row and the switch at once: the row kept behind the whole-batch switch comes back
        # when it is turned off.
        self._take(network, rate, int(sample), bool(whole_batch))
        return True

    def _take(self, network: tuple | None, rate: float, sample: int, whole_batch: bool) -> None:
        """Take a new state in full — ``network`` is :meth:`_install`'s arguments, or ``None`` to
        keep the network — then emit what changed, in order, so every handler sees all of it."""
        rate_changed = rate != self._learning_rate
        sample_changed = (sample, whole_batch) != (self._sample, self._whole_batch)
        if network is not None:
            self._install(*network)
        self._learning_rate = rate
        self._sample, self._whole_batch = sample, whole_batch
        if network is not None:
            self.events.reset.emit()
        if rate_changed:
            self.events.learning_rate.emit(rate)
        if sample_changed:
            self.events.sample.emit(sample, whole_batch)


def _check_build(preset: str, seed: int, batch_size: int | None) -> None:
    if preset not in PRESETS:
        raise ValueError(f"unknown network preset {preset!r}; network presets: {', '.join(PRESETS)}")
    if isinstance(seed, bool) or int(seed) != seed or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed {seed!r} is not a whole number from 0 to {MAX_SEED}.")
    if batch_size is not None and (isinstance(batch_size, bool) or int(batch_size) != batch_size or batch_size < 1):
        raise ValueError(f"batch size {batch_size!r} is not a whole number of at least 1 (or None for all).")


def _checked_rate(rate: float) -> float:
    value = float(rate)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"learning rate {rate!r} is not a finite number greater than 0.")
    return value
