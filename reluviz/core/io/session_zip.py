"""The session's zip container: its members read with every size checked first, and written.

A session is a zip of ``session.json``, ``z.npy`` and ``dvalues.npy`` and, optionally, the
recording members ``recording_z.npy`` and ``recording_dvalues.npy``. The zip directory, each
member's declared size and each ``.npy`` header are checked before memory is allocated; nothing is
unpickled. Member dates are fixed, so the same session gives the same bytes.
"""

from __future__ import annotations

import io
import json
import math
import struct
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any

import numpy as np

from reluviz.core.io.arrays_input import MAX_RECORDING_CELLS
from reluviz.core.io.limits import (
    MAX_NPY_BYTES,
    MAX_SESSION_JSON_BYTES,
    MAX_SIDE,
    MAX_ZIP_DIRECTORY_BYTES,
    InputError,
    format_bytes,
    format_shape,
    printable,
    shape_mismatch_text,
)
from reluviz.core.io.npy import _CHUNK, _CountingReader, _dtype_problem, _read_npy_header, _refuse, _truncated, read_npy
from reluviz.core.io.session_checks import _Checker, _describe

FORMAT_NAME = "reluviz-session"
"""The value of ``"format"`` in every ``session.json``."""

FORMAT_VERSION = 1
"""The session format this version writes, and the newest it reads."""

_JSON = "session.json"
_MEMBERS = {"z": "z.npy", "dvalues": "dvalues.npy"}
_RECORDING_MEMBERS = {"z": "recording_z.npy", "dvalues": "recording_dvalues.npy"}
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # same session, same bytes
_SESSION_TEXT = "a session holds session.json, z.npy and dvalues.npy, as reluviz saves it"


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


def _zip_info(member: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(member, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _write_archive(file: IO[bytes], meta: bytes, arrays: list[tuple[str, np.ndarray]]) -> None:
    """Write the zip: ``session.json`` (``meta``), then each ``(member, array)`` as ``.npy``."""
    with zipfile.ZipFile(file, "w") as archive:
        archive.writestr(_zip_info(_JSON), meta, compresslevel=6)
        for member, array in arrays:
            buffer = io.BytesIO()
            np.save(buffer, array, allow_pickle=False)
            # Level 1: random float64 hardly compresses, and level 6 costs 1 s per 2048².
            archive.writestr(_zip_info(member), buffer.getvalue(), compresslevel=1)
