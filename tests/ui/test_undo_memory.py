"""The undo memory guard's running total drops exactly the steps the full walk dropped.

:class:`WalkingGuard` is the guard as it was before the running total (it walked the whole stack on
every edit); both watch their own stack through the same long, random history and must agree at
every step on which steps were dropped, the bytes held and the count.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand, QUndoStack

from reluviz.ui.arrays_commands import ReplaceArraysCommand
from reluviz.ui.undo_memory import UndoMemoryGuard, is_released


class WalkingGuard(QObject):
    """The reference: the previous ``UndoMemoryGuard``, which summed the whole stack per edit."""

    def __init__(self, stack: QUndoStack, cap_bytes: int, live_arrays: Callable[[], list[np.ndarray]]) -> None:
        super().__init__(stack)
        self._stack, self.cap_bytes, self._live_arrays = stack, cap_bytes, live_arrays
        self.released_count = 0
        stack.indexChanged.connect(lambda _index: shiboken6.isValid(stack) and self.enforce())

    def _unreleased_newest_first(self) -> Iterator[tuple[int, int]]:
        seen = {id(a) for a in self._live_arrays()}
        for index in range(self._stack.count() - 1, -1, -1):
            command = self._stack.command(index)
            if is_released(command):
                return
            new_bytes = 0
            for array in getattr(command, "held_arrays", list)():
                if id(array) not in seen:
                    seen.add(id(array))
                    new_bytes += array.nbytes
            yield index, new_bytes

    def held_bytes(self) -> int:
        return sum(new_bytes for _index, new_bytes in self._unreleased_newest_first())

    def enforce(self) -> None:
        total = 0
        for index, new_bytes in self._unreleased_newest_first():
            total += new_bytes
            if total > self.cap_bytes:
                for older in range(min(index, self._stack.index() - 1), -1, -1):
                    command = self._stack.command(older)
                    if not is_released(command):
                        if hasattr(command, "release"):
                            command.release()
                        command.released = True
                        self.released_count += 1
                return


class NudgeArrayCommand(QUndoCommand):
    """Holds one array; consecutive ones merge, the top step then holds the newer array."""

    def __init__(self, array: np.ndarray) -> None:
        super().__init__("nudge")
        self.array = array

    def id(self) -> int:
        return 0x7E57

    def mergeWith(self, other: QUndoCommand) -> bool:
        self.array = other.array  # type: ignore[attr-defined]
        return True

    def held_arrays(self) -> list[np.ndarray]:
        return [self.array]

    def release(self) -> None:
        self.array = np.empty(0)


class History:
    """A stack, a guard and a model whose live arrays are the last ones installed."""

    def __init__(self, guard_class: type, cap_bytes: int) -> None:
        self.stack = QUndoStack()
        self.live = (np.zeros((4, 4)), np.zeros((4, 4)))
        self.guard = guard_class(self.stack, cap_bytes, lambda: list(self.live))

    def close(self) -> None:
        """Delete the stack now: a Python-owned stack collected later calls a guard already gone."""
        self.stack.indexChanged.disconnect()
        shiboken6.delete(self.stack)

    def install(self, z: np.ndarray, dvalues: np.ndarray, _refit: bool) -> None:
        self.live = (z, dvalues)

    def replay(self, operations: list[tuple]) -> list[tuple]:
        """Run ``operations`` and return, after each, what the guard decided."""
        trace = []
        for operation in operations:
            kind, *args = operation
            if kind == "replace":
                after = (np.full(args[0], 1.0), np.full(args[0], 2.0))
                self.stack.push(ReplaceArraysCommand(self.install, "replace", self.live, after, False))
            elif kind == "nudge":
                self.stack.push(NudgeArrayCommand(np.zeros(args[0])))
            elif kind == "undo" and self.stack.canUndo():
                if not is_released(self.stack.command(self.stack.index() - 1)):  # as the window refuses
                    self.stack.undo()
            elif kind == "redo":
                self.stack.redo()
            elif kind == "clear":
                self.stack.clear()
            trace.append((self.stack.count(), self.stack.index(), self.guard.released_count, self.guard.held_bytes(),
                          tuple(i for i in range(self.stack.count()) if is_released(self.stack.command(i)))))
        return trace


def random_operations(seed: int, length: int) -> list[tuple]:
    rng = random.Random(seed)
    kinds = ["replace"] * 5 + ["nudge"] * 3 + ["undo"] * 3 + ["redo"] * 2
    operations = [(rng.choice(kinds), (rng.randint(1, 12), rng.randint(1, 12))) for _ in range(length)]
    operations[length // 2] = ("clear",)  # once: the guard counts a cleared stack again
    return operations


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_long_history_drops_the_same_steps_as_the_full_walk(qapp, seed):
    operations = random_operations(seed, 3000)
    cap = 40 * 1024  # a few dozen steps of arrays up to 12×12 float64 fit
    histories = History(WalkingGuard, cap), History(UndoMemoryGuard, cap)
    expected, actual = (history.replay(operations) for history in histories)
    for history in histories:
        history.close()
    assert max(count for count, *_ in expected) > 500  # a long stack, not a short one
    assert expected[-1][2] > 100  # and many steps were dropped
    for step, (want, got) in enumerate(zip(expected, actual, strict=True)):
        assert got == want, f"after operation {step} {operations[step]}"


def test_lowering_the_cap_drops_steps_at_once_and_raising_it_drops_nothing_more(qapp):
    operations = [("replace", (8, 8))] * 50
    history = History(UndoMemoryGuard, 10**9)
    history.replay(operations)
    assert history.guard.released_count == 0
    history.guard.cap_bytes = 8 * 8 * 8 * 2 * 10
    history.guard.enforce()
    assert history.guard.released_count == 40 and history.guard.held_bytes() <= history.guard.cap_bytes
    history.guard.cap_bytes = 10**9
    history.guard.enforce()
    assert history.guard.released_count == 40
    history.close()


def test_the_window_keeps_the_same_newest_steps_of_a_long_history_and_says_so(qtbot):
    from reluviz.core import relu_backward
    from reluviz.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.set_undo_cap_mb(16)  # the least Preferences allows
    view = window.arrays_view
    view.resize_arrays(256, 256)
    for seed in range(300):  # 256×256 float64 pairs: 1 MB a step, so 16 MB keeps the newest 16
        view.randomize(seed)
    assert window.undo_stack.count() == 301
    # The numbers the walking guard gave for this history (run with it before the running total).
    assert window.undo_guard.released_count == 285
    undone = 0
    while window.undo_action.isEnabled():
        window.undo_action.trigger()
        undone += 1
    assert undone == 16
    window.undo()
    assert window.status_label.text() == "Older steps were dropped to keep undo memory under 16 MB (Preferences)."
    model = window.model
    assert model.drelu.tobytes() == relu_backward(model.z, model.dvalues, model.inclusive).tobytes()



def test_the_dropped_steps_message_names_the_cap_in_force(qtbot):
    """The message names the guard's cap, not the stored setting (which only keeps 16 MB and up)."""
    from reluviz.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.set_undo_cap_mb(1)
    view = window.arrays_view
    view.resize_arrays(256, 256)
    for seed in range(4):  # 1 MB a step: only the newest fits under 1 MB
        view.randomize(seed)
    while window.undo_action.isEnabled():
        window.undo_action.trigger()
    window.undo()
    assert window.status_label.text() == "Older steps were dropped to keep undo memory under 1 MB (Preferences)."
