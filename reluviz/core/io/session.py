"""Session files (``.reluviz``): the two arrays and the view settings, in a zip nothing unpickles.

Format 1 is a zip archive holding three members:

``session.json``
    ``{"format": "reluviz-session", "version": 1, "app_version": "0.1.0", "inclusive": true,
    "colormap": "blue-red", "z_range": null, "grad_range": null, "view": {},
    "current_view": "arrays", "precision": 3, "network": {"layer_sizes": [2, 6, 6, 3],
    "seed": 0, "batch_size": null, "preset": "default", "learning_rate": 0.5}}``
``z.npy``, ``dvalues.npy``
    Written by ``numpy.save(..., allow_pickle=False)``; any accepted numeric dtype is kept, and
    NaN, ±inf and -0.0 survive bit for bit.
``recording_z.npy``, ``recording_dvalues.npy`` (optional)
    A learner's recorded training run, ``(steps, rows, cols)`` each, saved only when the window
    shows one; ``session.json`` then holds ``"recording": {"step": 3}``, the step on show. Older
    readers ignore both (unknown members and keys), and files without them load as before, so
    the format version stays 1.

Reading is forgiving where that is safe and strict where it is not: a missing setting takes its
default (older files load), an unknown one is ignored (newer minor additions load), a setting of
the wrong type is refused with its name and the expected type, and a file of a newer format
version is refused politely. The archive is checked before it is unpacked: the file size, the
size of the zip directory and each member's declared size are bounded, and each ``.npy`` header is
checked before memory is allocated for its data (:func:`reluviz.core.io.npy.read_npy`).
"""

from __future__ import annotations

import io
import json
import math
import numbers
import os
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from reluviz._version import __version__
from reluviz.core.colour import DEFAULT_COLORMAP, fit_range
from reluviz.core.io.arrays_input import MAX_RECORDING_CELLS
from reluviz.core.io.files import open_error, open_regular_file, write_atomically
from reluviz.core.io.limits import (
    MAX_NPY_BYTES,
    MAX_SESSION_BYTES,
    MAX_SESSION_JSON_BYTES,
    MAX_SIDE,
    MAX_ZIP_DIRECTORY_BYTES,
    InputError,
    format_bytes,
    format_shape,
    printable,
    shape_mismatch_text,
)
from reluviz.core.io.npy import (
    _CHUNK,
    _CountingReader,
    _dtype_problem,
    _read_npy_header,
    _refuse,
    _truncated,
    check_array,
    read_npy,
)
from reluviz.core.presets import BOOK_DVALUES, BOOK_Z

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "SESSION_SUFFIX",
    "VIEWS",
    "NetworkConfig",
    "Session",
    "load_session",
    "save_session",
    "widened_range",
]

FORMAT_NAME = "reluviz-session"
"""The value of ``"format"`` in every ``session.json``."""

FORMAT_VERSION = 1
"""The session format this version writes, and the newest it reads."""

SESSION_SUFFIX = ".reluviz"
"""The usual ending of a session file (not enforced)."""

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

_JSON = "session.json"
_MEMBERS = {"z": "z.npy", "dvalues": "dvalues.npy"}
_RECORDING_MEMBERS = {"z": "recording_z.npy", "dvalues": "recording_dvalues.npy"}
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # same session, same bytes
_SESSION_TEXT = "a session holds session.json, z.npy and dvalues.npy, as reluviz saves it"


def _book_z() -> np.ndarray:
    return np.array(BOOK_Z, dtype=np.float64)


def _book_dvalues() -> np.ndarray:
    return np.array(BOOK_DVALUES, dtype=np.float64)


@dataclass
class NetworkConfig:
    """The network view's settings.

    Attributes
    ----------
    layer_sizes : list of int
        Units per layer, inputs first: 2 to 64 layers of 1 to 4096 units.
    seed : int
        Seed of the ``RandomState`` that builds data and weights, 0 to 2**31 - 1.
    batch_size : int or None
        Samples per training step; ``None`` trains on the whole dataset.
    preset : str
        Name of the network preset the settings came from.
    learning_rate : float
        SGD learning rate, from 0.001 to 10 (the app's range).
    sample : int
        The batch row the view follows, from 0; -1 means "the app's default sample".
    whole_batch : bool
        Whether the view shows the whole batch instead of one sample.
    trained_learning_rates : list of float
        The learning rate of every Train step taken, in order: training is deterministic given
        preset, seed and batch size, so replaying them restores the trained network.
    """

    layer_sizes: list[int] = field(default_factory=lambda: [2, 6, 6, 3])
    seed: int = 0
    batch_size: int | None = None
    preset: str = "default"
    learning_rate: float = 0.5
    sample: int = -1
    whole_batch: bool = False
    trained_learning_rates: list[float] = field(default_factory=list)


@dataclass(eq=False)
class Session:
    """Everything a session file holds; every field has a default.

    Attributes
    ----------
    z, dvalues : numpy.ndarray
        The edited arrays: 2-D, equal shapes, integer or float dtypes (the book's example by
        default, float64).
    inclusive : bool
        ``True`` blocks where ``z <= 0`` (the book), ``False`` where ``z < 0``.
    colormap : str
        Name of the diverging colormap (unknown names are kept; the UI falls back).
    z_range, grad_range : float or None
        Half-widths of the colour scales of ``z`` and of ``dvalues``/``drelu``, finite and > 0;
        ``None`` means "fit to the data".
    view : dict of str to float
        Free-form zoom/pan state of the views, e.g. ``{"arrays.zoom": 2.0}``; finite numbers.
    current_view : str
        The view on top: one of :data:`VIEWS`.
    precision : int
        Significant digits shown in cells, 1 to 17.
    network : NetworkConfig
        The network view's settings.
    recording_z, recording_dvalues : numpy.ndarray or None
        A recorded training run, equal ``(steps, rows, cols)`` integer or float arrays, or
        ``None`` (both or neither).
    recording_step : int
        The recorded step on show, from 0.
    """

    z: np.ndarray = field(default_factory=_book_z)
    dvalues: np.ndarray = field(default_factory=_book_dvalues)
    inclusive: bool = True
    colormap: str = DEFAULT_COLORMAP
    z_range: float | None = None
    grad_range: float | None = None
    view: dict[str, float] = field(default_factory=dict)
    current_view: str = "arrays"
    precision: int = 3
    network: NetworkConfig = field(default_factory=NetworkConfig)
    recording_z: np.ndarray | None = None
    recording_dvalues: np.ndarray | None = None
    recording_step: int = 0


# -- validating settings -----------------------------------------------------------------------


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


def _network(meta: dict[str, Any], check: _Checker) -> NetworkConfig:
    config = NetworkConfig()
    if "layer_sizes" in meta:
        sizes = meta["layer_sizes"]
        expected = f"a list of 2 to {MAX_LAYERS} whole numbers from 1 to {MAX_SIDE}"
        if not isinstance(sizes, list | tuple) or not 2 <= len(sizes) <= MAX_LAYERS:
            raise check.wrong("network.layer_sizes", sizes, expected)
        config.layer_sizes = [check.integer(f"network.layer_sizes[{i}]", n, 1, MAX_SIDE) for i, n in enumerate(sizes)]
    if "seed" in meta:
        # 2**31 - 1: the largest seed the app's seed box (a Qt int) can show.
        config.seed = check.integer("network.seed", meta["seed"], 0, MAX_SEED)
    if "batch_size" in meta:
        value = meta["batch_size"]
        config.batch_size = None if value is None else check.integer("network.batch_size", value, 1, MAX_BATCH_SIZE)
    if "preset" in meta:
        config.preset = check.text("network.preset", meta["preset"])
    if "learning_rate" in meta:
        config.learning_rate = check.learning_rate("network.learning_rate", meta["learning_rate"])
    if "sample" in meta:
        config.sample = check.integer("network.sample", meta["sample"], -1, MAX_BATCH_SIZE)
    if "whole_batch" in meta:
        config.whole_batch = check.boolean("network.whole_batch", meta["whole_batch"])
    if "trained_learning_rates" in meta:
        rates = meta["trained_learning_rates"]
        expected = f"a list of at most {MAX_TRAIN_STEPS} numbers from {MIN_LEARNING_RATE:g} to {MAX_LEARNING_RATE:g}"
        if not isinstance(rates, list | tuple) or len(rates) > MAX_TRAIN_STEPS:
            raise check.wrong("network.trained_learning_rates", rates, expected)
        config.trained_learning_rates = [
            check.learning_rate(f"network.trained_learning_rates[{i}]", r) for i, r in enumerate(rates)
        ]
    return config


def _session_json(session: Session) -> dict[str, Any]:
    net = session.network
    if not isinstance(net, NetworkConfig):
        raise InputError(f'In the session to save, "network" is {_describe(net)} but must be a NetworkConfig.')
    raw: dict[str, Any] = {
        "inclusive": session.inclusive,
        "colormap": session.colormap,
        "z_range": session.z_range,
        "grad_range": session.grad_range,
        "view": session.view,
        "current_view": session.current_view,
        "precision": session.precision,
        "network": {
            "layer_sizes": net.layer_sizes,
            "seed": net.seed,
            "batch_size": net.batch_size,
            "preset": net.preset,
            "learning_rate": net.learning_rate,
            "sample": net.sample,
            "whole_batch": net.whole_batch,
            "trained_learning_rates": net.trained_learning_rates,
        },
    }
    typed = _settings(raw, "the session to save")
    typed_net: NetworkConfig = typed.pop("network")
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "app_version": __version__,
        **typed,
        "network": {
            "layer_sizes": typed_net.layer_sizes,
            "seed": typed_net.seed,
            "batch_size": typed_net.batch_size,
            "preset": typed_net.preset,
            "learning_rate": typed_net.learning_rate,
            "sample": typed_net.sample,
            "whole_batch": typed_net.whole_batch,
            "trained_learning_rates": typed_net.trained_learning_rates,
        },
    }


def widened_range(saved: float | None, *arrays: np.ndarray) -> float:
    """The colour half-range to show for a saved range: never narrower than the data needs.

    A saved range may be wider than the data (kept: the user chose it) but never narrower,
    since every value beyond it would saturate (a crafted ``1e-300`` would paint every cell at
    full colour). The app applies this when it opens a session, and the export does the same,
    so an exported session looks like the screen.

    Parameters
    ----------
    saved : float or None
        The session's range; ``None`` means "fit the data".
    *arrays : numpy.ndarray
        The arrays the range colours (``z``; or ``dvalues``, which ``drelu`` shares).

    Returns
    -------
    float
        ``max(saved, fit_range(*arrays))``, or ``fit_range(*arrays)`` without a saved range.
    """
    fitted = fit_range(*arrays)
    return fitted if saved is None else max(float(saved), fitted)


# -- reading -----------------------------------------------------------------------------------


def _quoted(path: Path) -> str:
    return "'" + printable(path.name or str(path)) + "'"


def _not_session(name: str, why: str) -> InputError:
    return InputError(f"{name} is not a reluviz session ({why}); {_SESSION_TEXT}.")


def _check_zip_directory(file: IO[bytes], size: int, name: str) -> None:
    """Refuse a file that is not a zip, or whose zip directory is too large, before unpacking."""
    tail_length = min(size, 22 + 65535)
    file.seek(size - tail_length)
    tail = file.read(tail_length)
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) - end < 22:
        raise _not_session(name, "it is not a zip archive")
    entries, directory_size = struct.unpack("<HI", tail[end + 10 : end + 16])
    if directory_size > MAX_ZIP_DIRECTORY_BYTES:
        raise InputError(
            f"{name} has a zip directory of {format_bytes(directory_size)} ({entries} entries); "
            f"sessions with a directory up to {format_bytes(MAX_ZIP_DIRECTORY_BYTES)} are "
            "accepted."
        )
    file.seek(0)


def _member(archive: zipfile.ZipFile, member: str, name: str, limit: int) -> zipfile.ZipInfo:
    try:
        info = archive.getinfo(member)
    except KeyError:
        raise InputError(f"{name} has no {member} inside; {_SESSION_TEXT}.") from None
    if info.flag_bits & 0x1:
        raise InputError(f"{name} has an encrypted {member}; unencrypted sessions are accepted.")
    if info.file_size > limit:
        raise InputError(
            f"{name} declares {member} as {format_bytes(info.file_size)} unpacked; members up to "
            f"{format_bytes(limit)} are accepted."
        )
    return info


_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError)


def _damaged(name: str, member: str) -> InputError:
    return InputError(f"{name} is damaged ({member} cannot be unpacked); sessions saved by reluviz are accepted.")


def _read_meta(archive: zipfile.ZipFile, name: str) -> dict[str, Any]:
    info = _member(archive, _JSON, name, MAX_SESSION_JSON_BYTES)
    try:
        with archive.open(info) as member:
            data = member.read(MAX_SESSION_JSON_BYTES + 1)
    except _ZIP_ERRORS:
        raise _damaged(name, _JSON) from None
    try:
        meta = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise _not_session(name, f"its {_JSON} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise _not_session(name, f"its {_JSON} is not valid JSON: {exc.msg} at line {exc.lineno}") from None
    except (ValueError, RecursionError):
        raise _not_session(name, f"its {_JSON} is not valid JSON") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT_NAME:
        raise _not_session(name, f'its {_JSON} does not say "format": "{FORMAT_NAME}"')
    version = meta.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InputError(
            f'In {name}, "version" is {_describe(version)} but must be a whole number of at least 1; {_SESSION_TEXT}.'
        )
    if version > FORMAT_VERSION:
        raise InputError(
            f"{name} was made by a newer reluviz (session format {version}); this version reads "
            f"format {FORMAT_VERSION}, so please update reluviz to open it."
        )
    return meta


def _read_array(archive: zipfile.ZipFile, member: str, name: str) -> np.ndarray:
    info = _member(archive, member, name, MAX_NPY_BYTES)
    try:
        with archive.open(info) as file:
            return read_npy(file, info.file_size, f"The {member} inside {name}")
    except _ZIP_ERRORS:
        raise _damaged(name, member) from None


def _read_recording_array(archive: zipfile.ZipFile, member: str, name: str) -> np.ndarray:
    """Read one 3-D recording member: the header is checked (dtype, shape, size) before allocating."""
    info = _member(archive, member, name, MAX_NPY_BYTES)
    label = f"The {member} inside {name}"
    try:
        with archive.open(info) as file:
            counter = _CountingReader(file)
            shape, fortran_order, dtype = _read_npy_header(counter, label)
            problem = _dtype_problem(dtype)
            if problem:
                raise _refuse(label, problem)
            cells = math.prod(shape)
            if len(shape) != 3 or min(shape) < 1 or max(shape[1:]) > MAX_SIDE or cells > MAX_RECORDING_CELLS:
                raise InputError(f"{label} is {format_shape(tuple(shape))}; a recording is steps × rows × columns, "
                                 f"each step up to {MAX_SIDE}×{MAX_SIDE}, up to {MAX_RECORDING_CELLS} cells in all.")
            nbytes = cells * dtype.itemsize
            if info.file_size - counter.count < nbytes:
                raise _truncated(label, tuple(shape), dtype, nbytes, max(info.file_size - counter.count, 0))
            buffer = np.empty(nbytes, dtype=np.uint8)
            got = 0
            while got < nbytes:  # in chunks, so a member is never held twice in memory
                chunk = file.read(min(_CHUNK, nbytes - got))
                if not chunk:
                    raise _truncated(label, tuple(shape), dtype, nbytes, got)
                buffer[got : got + len(chunk)] = np.frombuffer(chunk, dtype=np.uint8)
                got += len(chunk)
    except _ZIP_ERRORS:
        raise _damaged(name, member) from None
    flat = buffer.view(dtype)
    shaped = flat.reshape(shape[::-1]).T if fortran_order else flat.reshape(shape)
    return np.ascontiguousarray(shaped, dtype=dtype.newbyteorder("="))


def _read_recording(archive: zipfile.ZipFile, meta: dict[str, Any], name: str) -> dict[str, Any]:
    """The optional recording: ``{}`` without one, else the Session fields it fills."""
    if "recording" not in meta:
        return {}
    check = _Checker(name)
    settings = check.mapping("recording", meta["recording"])
    z = _read_recording_array(archive, _RECORDING_MEMBERS["z"], name)
    dvalues = _read_recording_array(archive, _RECORDING_MEMBERS["dvalues"], name)
    if z.shape != dvalues.shape:
        mismatch = shape_mismatch_text(z.shape, dvalues.shape, z_name="the recorded z",
                                       dvalues_name="the recorded dvalues")
        raise InputError(f"In {name}, {mismatch}.")
    step = check.integer("recording.step", settings.get("step", 0), 0, z.shape[0] - 1)
    return {"recording_z": z, "recording_dvalues": dvalues, "recording_step": step}


def load_session(path: str | os.PathLike[str]) -> Session:
    """Read a session file.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.reluviz`` file written by :func:`save_session` (any format version up to
        :data:`FORMAT_VERSION`).

    Returns
    -------
    Session
        The arrays (2-D, equal shapes, their saved dtypes) and the settings; settings missing
        from the file take their defaults, unknown ones are ignored.

    Raises
    ------
    InputError
        The file cannot be opened, is not a zip or is damaged, is larger than the limits (file,
        zip directory or a member's declared size), lacks a member, was made by a newer reluviz,
        has a setting of the wrong type (named in the message), or holds refused arrays
        (see :func:`reluviz.core.io.npy.read_npy`) or arrays of unequal shapes.
    """
    p = Path(path)
    name = _quoted(p)
    file = open_regular_file(p, kind="session file")  # refuses a FIFO or device before reading
    with file:
        size = os.fstat(file.fileno()).st_size
        if size == 0:
            raise _not_session(name, "the file is empty")
        if size > MAX_SESSION_BYTES:
            raise InputError(
                f"{name} is {format_bytes(size)}; session files up to {format_bytes(MAX_SESSION_BYTES)} are accepted."
            )
        try:
            _check_zip_directory(file, size, name)
        except OSError as exc:
            raise open_error(p, exc, kind="session file") from None
        try:
            archive = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError):
            raise _not_session(name, "it is not a readable zip archive") from None
        with archive:
            meta = _read_meta(archive, name)
            settings = _settings(meta, name)
            z = _read_array(archive, _MEMBERS["z"], name)
            dvalues = _read_array(archive, _MEMBERS["dvalues"], name)
            settings.update(_read_recording(archive, meta, name))
    if z.shape != dvalues.shape:
        raise InputError(f"In {name}, {shape_mismatch_text(z.shape, dvalues.shape)}.")
    return Session(z=z, dvalues=dvalues, **settings)


# -- writing -----------------------------------------------------------------------------------


def _zip_info(member: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(member, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


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


def save_session(path: str | os.PathLike[str], session: Session) -> None:
    """Write a session file atomically (a failed save leaves the old file byte-identical).

    Parameters
    ----------
    path : str or os.PathLike
        The target, usually ending in :data:`SESSION_SUFFIX`.
    session : Session
        What to save. Everything is validated first, with the same rules :func:`load_session`
        applies, so a saved session always loads.

    Raises
    ------
    InputError
        A setting has the wrong type or range, the arrays are refused
        (:func:`reluviz.core.io.npy.check_array`) or differ in shape, or the write fails
        (:func:`reluviz.core.io.files.write_atomically`).
    """
    z = check_array(session.z, "z")
    dvalues = check_array(session.dvalues, "dvalues")
    if z.shape != dvalues.shape:
        raise InputError(f"{shape_mismatch_text(z.shape, dvalues.shape)}.")
    recording = _checked_recording(session, z, dvalues)
    raw_meta = _session_json(session)
    if recording:
        raw_meta["recording"] = {"step": session.recording_step}
    meta = json.dumps(raw_meta, indent=2, allow_nan=False).encode("utf-8")

    def write(file: IO[bytes]) -> None:
        with zipfile.ZipFile(file, "w") as archive:
            archive.writestr(_zip_info(_JSON), meta, compresslevel=6)
            members = [(_MEMBERS["z"], z), (_MEMBERS["dvalues"], dvalues)]
            members += [(_RECORDING_MEMBERS[key], array) for key, array in recording.items()]
            for member, array in members:
                buffer = io.BytesIO()
                np.save(buffer, array, allow_pickle=False)
                # Level 1: random float64 hardly compresses, and level 6 costs 1 s per 2048².
                archive.writestr(_zip_info(member), buffer.getvalue(), compresslevel=1)

    write_atomically(path, write)
