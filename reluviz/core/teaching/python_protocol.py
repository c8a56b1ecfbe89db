"""How Python makes the syntax work: the calls NumPy actually receives, recorded at run time.

``z <= 0`` is Python calling ``z.__le__(0)``; ``drelu[mask] = 0`` is ``drelu.__setitem__(mask, 0)``
(the seed's second answer builds a toy class with exactly these two methods). Here the book's lines
run on arrays of a recording ``ndarray`` subclass, so the log is what Python really called.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reluviz.core.teaching.code_steps import code_lines

__all__ = ["RecordedCall", "record_calls"]


@dataclass(frozen=True)
class RecordedCall:
    """One special-method call Python made while running a line.

    Attributes
    ----------
    receiver : str
        The name the array had in the code (``"z"``, ``"dvalues"``, ``"drelu"``).
    method : str
        ``"__le__"``, ``"__lt__"``, ``"copy"`` or ``"__setitem__"``.
    arguments : tuple of str
        Each argument as the code wrote it: its name in the code if it has one (``"mask"``), else
        its repr (``"0"``).
    argument_types : tuple of str
        Each argument described: ``"0 (int)"``, ``"bool array of shape (3, 4)"``.
    result : str
        The result described (``"None"`` for ``__setitem__``).
    """

    receiver: str
    method: str
    arguments: tuple[str, ...]
    argument_types: tuple[str, ...]
    result: str

    @property
    def text(self) -> str:
        """The call as Python makes it: ``z.__le__(0)``, ``drelu.__setitem__(mask, 0)``."""
        return f"{self.receiver}.{self.method}({', '.join(self.arguments)})"


def _describe(value: object) -> str:
    if isinstance(value, np.ndarray):
        return f"{value.dtype} array of shape {value.shape}"
    if isinstance(value, np.generic):  # what a comparison on a 0-d array returns
        return f"NumPy {value.dtype} scalar {value.item()!r}"
    return f"{value!r} ({type(value).__name__})"


class _Recording(np.ndarray):
    """An ndarray that logs the special methods the book's lines use, then does exactly what ndarray does."""

    log: list[RecordedCall]
    label: str
    namespace: dict[str, object]

    def _record(self, method: str, args: tuple[object, ...], result: object) -> None:
        names = tuple(next((n for n, v in self.namespace.items() if v is a), repr(a)) for a in args)
        self.log.append(RecordedCall(self.label, method, names, tuple(_describe(a) for a in args),
                                     "None" if result is None else _describe(result)))

    def __le__(self, other: object) -> np.ndarray:  # type: ignore[override]
        result = np.ndarray.__le__(self.view(np.ndarray), other)
        self._record("__le__", (other,), result)
        return result

    def __lt__(self, other: object) -> np.ndarray:  # type: ignore[override]
        result = np.ndarray.__lt__(self.view(np.ndarray), other)
        self._record("__lt__", (other,), result)
        return result

    def copy(self, order: str = "C") -> _Recording:  # type: ignore[override]
        result = np.ndarray.copy(self.view(np.ndarray), order=order)
        self._record("copy", (), result)
        return _recording(result, "drelu", self.log, self.namespace)

    def __setitem__(self, key: object, value: object) -> None:
        np.ndarray.__setitem__(self.view(np.ndarray), key, value)
        self._record("__setitem__", (key, value), None)


def _recording(array: np.ndarray, label: str, log: list[RecordedCall], namespace: dict[str, object]) -> _Recording:
    rec = np.array(array, copy=True).view(_Recording)
    rec.log = log
    rec.label = label
    rec.namespace = namespace  # to name the arguments as the code does ("mask")
    return rec


def record_calls(z: np.ndarray, dvalues: np.ndarray, inclusive: bool = True) -> tuple[list[RecordedCall], np.ndarray]:
    """Run the three lines with ``exec`` on recording copies and return the calls and ``drelu``.

    Returns
    -------
    calls : list of RecordedCall
        In the order Python made them: ``z.__le__(0)``, ``dvalues.copy()``,
        ``drelu.__setitem__(mask, 0)``.
    drelu : numpy.ndarray
        The result, as a plain ndarray (tests compare it with ``relu_backward``).
    """
    log: list[RecordedCall] = []
    namespace: dict[str, object] = {}
    namespace["z"] = _recording(np.asarray(z), "z", log, namespace)
    namespace["dvalues"] = _recording(np.asarray(dvalues), "dvalues", log, namespace)
    # Python's own translation of the syntax is what is being shown: run the lines' source text.
    exec("\n".join(code_lines(inclusive)), {}, namespace)  # the fixed text of code_lines()
    drelu = namespace["drelu"]
    assert isinstance(drelu, np.ndarray)
    return log, np.array(drelu.view(np.ndarray), copy=True)
