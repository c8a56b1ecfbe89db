"""The settings checks of a session: every key of ``session.json`` (and of a Session to save).

Used on both sides, so a saved session always loads: :func:`~reluviz.core.io.session.load_session`
checks what it reads, :func:`~reluviz.core.io.session.save_session` checks what it writes, with the
same rules and messages that name the file, the key and the expected type.
"""

from __future__ import annotations

import math
import numbers
from typing import TYPE_CHECKING, Any

import numpy as np

from reluviz.core.io.arrays_input import MAX_RECORDING_CELLS
from reluviz.core.io.limits import MAX_NPY_BYTES, MAX_SIDE, InputError, format_bytes, format_shape
from reluviz.core.io.npy import _dtype_problem, _refuse

if TYPE_CHECKING:
    from reluviz.core.io.session import Session

VIEWS = ("arrays", "network", "code")
"""The values ``Session.current_view`` may take."""

MAX_PRECISION = 17
MAX_LAYERS = 64
MAX_BATCH_SIZE = 1_000_000
MAX_TEXT = 200  # longest colormap or preset name
MAX_VIEW_KEYS = 256
MAX_TRAIN_STEPS = 10_000
MAX_SEED = 2**31 - 1
MIN_LEARNING_RATE = 0.001  # the app's learning-rate box offers 0.001 to 10; beyond 10 training
MAX_LEARNING_RATE = 10.0  # overflows to inf and NaN within a few steps


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool | np.bool_):
        return f"the boolean {str(bool(value)).lower()}"
    if isinstance(value, numbers.Number):
        return f"the number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 24 else value[:23] + "…"
        return f'the text "{shown}"'
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


class _Checker:
    """Type checks for one settings dict, with messages that name the file and the key."""

    def __init__(self, where: str) -> None:
        self.where = where

    def wrong(self, key: str, value: Any, expected: str) -> InputError:
        return InputError(f'In {self.where}, "{key}" is {_describe(value)} but must be {expected}.')

    def boolean(self, key: str, value: Any) -> bool:
        if not isinstance(value, bool | np.bool_):
            raise self.wrong(key, value, "true or false")
        return bool(value)

    def integer(self, key: str, value: Any, low: int, high: int) -> int:
        expected = f"a whole number from {low} to {high}"
        if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
            raise self.wrong(key, value, expected)
        if not low <= int(value) <= high:
            raise self.wrong(key, value, expected)
        return int(value)

    def number(self, key: str, value: Any, positive: bool) -> float:
        expected = "a finite number greater than 0" if positive else "a finite number"
        if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
            raise self.wrong(key, value, expected)
        result = float(value)
        if not math.isfinite(result) or (positive and result <= 0):
            raise self.wrong(key, value, expected)
        return result

    def learning_rate(self, key: str, value: Any) -> float:
        expected = f"a number from {MIN_LEARNING_RATE:g} to {MAX_LEARNING_RATE:g}"
        result = self.number(key, value, True)
        if not MIN_LEARNING_RATE <= result <= MAX_LEARNING_RATE:
            raise self.wrong(key, value, expected)
        return result

    def text(self, key: str, value: Any, choices: tuple[str, ...] | None = None) -> str:
        if choices:
            expected = "one of " + ", ".join(f'"{c}"' for c in choices)
        else:
            expected = f"text of 1 to {MAX_TEXT} characters"
        if not isinstance(value, str) or not 0 < len(value) <= MAX_TEXT:
            raise self.wrong(key, value, expected)
        if choices and value not in choices:
            raise self.wrong(key, value, expected)
        return value

    def mapping(self, key: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.wrong(key, value, "an object")
        return value


def _settings(meta: dict[str, Any], where: str) -> dict[str, Any]:
    """Validate the settings of a ``session.json`` (or of a Session) and return them typed.

    Missing keys are left out (the dataclass defaults apply); unknown keys are ignored.
    ``"network"``, when present, is a dict of checked ``NetworkConfig`` fields.
    """
    check = _Checker(where)
    out: dict[str, Any] = {}
    if "inclusive" in meta:
        out["inclusive"] = check.boolean("inclusive", meta["inclusive"])
    if "colormap" in meta:
        out["colormap"] = check.text("colormap", meta["colormap"])
    for key in ("z_range", "grad_range"):
        if key in meta:
            value = meta[key]
            out[key] = None if value is None else check.number(key, value, positive=True)
    if "view" in meta:
        view = check.mapping("view", meta["view"])
        if len(view) > MAX_VIEW_KEYS:
            raise InputError(f'In {where}, "view" has {len(view)} entries; up to {MAX_VIEW_KEYS} are accepted.')
        out["view"] = {check.text("view key", k): check.number(f"view.{k}", v, positive=False) for k, v in view.items()}
    if "current_view" in meta:
        out["current_view"] = check.text("current_view", meta["current_view"], VIEWS)
    if "precision" in meta:
        out["precision"] = check.integer("precision", meta["precision"], 1, MAX_PRECISION)
    if "network" in meta:
        out["network"] = _network(check.mapping("network", meta["network"]), check)
    return out


def _network(meta: dict[str, Any], check: _Checker) -> dict[str, Any]:
    """The network settings present in ``meta``, checked: keyword arguments for ``NetworkConfig``."""
    config: dict[str, Any] = {}
    if "layer_sizes" in meta:
        sizes = meta["layer_sizes"]
        expected = f"a list of 2 to {MAX_LAYERS} whole numbers from 1 to {MAX_SIDE}"
        if not isinstance(sizes, list | tuple) or not 2 <= len(sizes) <= MAX_LAYERS:
            raise check.wrong("network.layer_sizes", sizes, expected)
        config["layer_sizes"] = [
            check.integer(f"network.layer_sizes[{i}]", n, 1, MAX_SIDE) for i, n in enumerate(sizes)
        ]
    if "seed" in meta:
        # 2**31 - 1: the largest seed the app's seed box (a Qt int) can show.
        config["seed"] = check.integer("network.seed", meta["seed"], 0, MAX_SEED)
    if "batch_size" in meta:
        value = meta["batch_size"]
        config["batch_size"] = None if value is None else check.integer("network.batch_size", value, 1, MAX_BATCH_SIZE)
    if "preset" in meta:
        config["preset"] = check.text("network.preset", meta["preset"])
    if "learning_rate" in meta:
        config["learning_rate"] = check.learning_rate("network.learning_rate", meta["learning_rate"])
    if "sample" in meta:
        config["sample"] = check.integer("network.sample", meta["sample"], -1, MAX_BATCH_SIZE)
    if "whole_batch" in meta:
        config["whole_batch"] = check.boolean("network.whole_batch", meta["whole_batch"])
    if "trained_learning_rates" in meta:
        rates = meta["trained_learning_rates"]
        expected = f"a list of at most {MAX_TRAIN_STEPS} numbers from {MIN_LEARNING_RATE:g} to {MAX_LEARNING_RATE:g}"
        if not isinstance(rates, list | tuple) or len(rates) > MAX_TRAIN_STEPS:
            raise check.wrong("network.trained_learning_rates", rates, expected)
        config["trained_learning_rates"] = [
            check.learning_rate(f"network.trained_learning_rates[{i}]", r) for i, r in enumerate(rates)
        ]
    return config


def _checked_recording(session: Session, z: np.ndarray, dvalues: np.ndarray) -> dict[str, np.ndarray]:
    """The recording to save (``{}`` without one), checked as :func:`load_session` will check it."""
    if session.recording_z is None and session.recording_dvalues is None:
        return {}
    if session.recording_z is None or session.recording_dvalues is None:
        raise InputError("A session's recording needs both the recorded z and the recorded dvalues.")
    arrays = {"z": np.asarray(session.recording_z), "dvalues": np.asarray(session.recording_dvalues)}
    shape = arrays["z"].shape
    for label, array in arrays.items():
        problem = _dtype_problem(array.dtype)
        if problem:
            raise _refuse(f"The recorded {label}", problem)
        if array.shape != shape or array.ndim != 3 or min(shape) < 1 or array.size > MAX_RECORDING_CELLS:
            raise InputError(f"The recording is {format_shape(shape)} and {format_shape(array.shape)}; a session "
                             f"keeps equal steps × rows × columns arrays up to {MAX_RECORDING_CELLS} cells.")
    _Checker("the session to save").integer("recording.step", session.recording_step, 0, shape[0] - 1)
    # Every member, raw, within what load_session accepts for the whole file (deflate hardly grows).
    total = sum(a.nbytes for a in (z, dvalues, *arrays.values()))
    if total > 2 * MAX_NPY_BYTES:
        raise InputError(f"The arrays and the recording hold {format_bytes(total)}; a session holds up to "
                         f"{format_bytes(2 * MAX_NPY_BYTES)} of arrays in all. Record fewer steps.")
    return arrays

