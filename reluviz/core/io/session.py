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

The settings checks live in :mod:`~reluviz.core.io.session_checks`, the zip container (reading
and writing members) in :mod:`~reluviz.core.io.session_zip`.
"""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from reluviz._version import __version__
from reluviz.core.colour import DEFAULT_COLORMAP, fit_range
from reluviz.core.io.files import open_error, open_regular_file, write_atomically
from reluviz.core.io.limits import MAX_SESSION_BYTES, InputError, format_bytes, shape_mismatch_text
from reluviz.core.io.npy import check_array
from reluviz.core.io.session_checks import VIEWS, _checked_recording, _describe, _settings
from reluviz.core.io.session_zip import (
    _MEMBERS,
    _RECORDING_MEMBERS,
    FORMAT_NAME,
    FORMAT_VERSION,
    _check_zip_directory,
    _not_session,
    _quoted,
    _read_array,
    _read_meta,
    _read_recording,
    _write_archive,
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

SESSION_SUFFIX = ".reluviz"
"""The usual ending of a session file (not enforced)."""


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


def _session_fields(meta: dict[str, Any], where: str) -> dict[str, Any]:
    """The checked settings of ``meta`` as ``Session`` keyword arguments (``network`` a NetworkConfig)."""
    fields = _settings(meta, where)
    if "network" in fields:
        fields["network"] = NetworkConfig(**fields["network"])
    return fields


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
    typed_net: dict[str, Any] = typed.pop("network")
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "app_version": __version__,
        **typed,
        "network": {
            "layer_sizes": typed_net["layer_sizes"],
            "seed": typed_net["seed"],
            "batch_size": typed_net["batch_size"],
            "preset": typed_net["preset"],
            "learning_rate": typed_net["learning_rate"],
            "sample": typed_net["sample"],
            "whole_batch": typed_net["whole_batch"],
            "trained_learning_rates": typed_net["trained_learning_rates"],
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
                f"{name} is {_size_beyond(size, MAX_SESSION_BYTES)}; session files up to "
                f"{format_bytes(MAX_SESSION_BYTES)} are accepted."
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
            settings = _session_fields(meta, name)
            z = _read_array(archive, _MEMBERS["z"], name)
            dvalues = _read_array(archive, _MEMBERS["dvalues"], name)
            settings.update(_read_recording(archive, meta, name))
    if z.shape != dvalues.shape:
        raise InputError(f"In {name}, {shape_mismatch_text(z.shape, dvalues.shape)}.")
    return Session(z=z, dvalues=dvalues, **settings)


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

    members = [(_MEMBERS["z"], z), (_MEMBERS["dvalues"], dvalues)]
    members += [(_RECORDING_MEMBERS[key], array) for key, array in recording.items()]
    write_atomically(path, lambda file: _write_archive(file, meta, members))


def _size_beyond(size: int, limit: int) -> str:
    """``size`` as a message writes it, exact in bytes when rounding would print it equal to ``limit``."""
    shown = format_bytes(size)
    return f"{size:,} bytes (over {limit:,})" if shown == format_bytes(limit) else shown
