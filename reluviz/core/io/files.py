"""Open and write files safely: regular files only, plain-words refusals, atomic saves.

Opening refuses pipes, devices, sockets and folders before any read, and names that no file may
have; every ``OSError`` becomes a one-sentence :class:`~reluviz.core.io.limits.InputError`. Every
save is atomic: the data goes to a temporary file in the same folder, which then replaces the target
in one step, so a failed save leaves the old file byte-identical. Used by the array files, sessions
and every export writer.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from reluviz.core.io.limits import InputError, printable

__all__ = ["MAX_NAME_BYTES", "check_replaceable", "open_error", "open_regular_file", "write_atomically"]


def _quoted(path: str | os.PathLike[str]) -> str:
    name = os.path.basename(os.fspath(path)) or os.fspath(path)
    if len(name) > 64:  # a 255-byte name would swamp the sentence
        name = name[:40] + "…" + name[-12:]
    return "'" + printable(name) + "'"


MAX_NAME_BYTES = 255
"""Longest file name (one path component) in bytes, as ext4, APFS and NTFS allow."""


def _name_problem(path: Path) -> str | None:
    """Say why a path can never name a file, or ``None``: a NUL character or an over-long name."""
    text = os.fspath(path)
    if "\x00" in text:
        return "its name holds a NUL character, which no file name may contain"
    for part in path.parts:
        length = len(os.fsencode(part))
        if length > MAX_NAME_BYTES:
            return (
                f"the name {printable(part[:24])}… is {length} bytes long, more than the "
                f"{MAX_NAME_BYTES} bytes a file name may have"
            )
    return None


_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a disk device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def open_regular_file(path: str | os.PathLike[str], kind: str = "file") -> BinaryIO:
    """Open a regular file for reading, refusing pipes, devices and sockets before any read.

    A FIFO named ``x.csv`` would block forever in ``open`` (waiting for a writer) and
    ``/dev/zero`` would never end, so the file is opened without blocking and its type checked
    on the open descriptor (no race between a check and the open).

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    kind : str, default "file"
        What messages call it, e.g. ``"session file"``.

    Returns
    -------
    BinaryIO
        The file, opened ``"rb"`` (blocking mode restored); the caller closes it.

    Raises
    ------
    InputError
        The file does not exist, cannot be opened, or is not a regular file.
    """
    p = Path(path)
    problem = _name_problem(p)
    if problem:
        raise InputError(f"Cannot open {_quoted(p)}: {problem}.")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(p, flags)
    except OSError as exc:
        raise open_error(p, exc, kind=kind) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"Cannot open {_quoted(p)}: it is a folder, not a {kind}.")
        if not stat.S_ISREG(mode):
            what = next((name for test, name in _KINDS if test(mode)), "not a regular file")
            raise InputError(f"Cannot open {_quoted(p)}: it is {what}, not a {kind}; regular files are accepted.")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise




def open_error(path: Path, exc: OSError, doing: str = "open", kind: str = "file") -> InputError:
    """The one-sentence :class:`InputError` for an ``OSError`` met while opening ``path``."""
    name = _quoted(path)
    if isinstance(exc, FileNotFoundError):
        return InputError(f"Cannot {doing} {name}: there is no such file in '{printable(str(path.parent))}'.")
    if isinstance(exc, IsADirectoryError):
        return InputError(f"Cannot {doing} {name}: it is a folder, not a {kind}.")
    if isinstance(exc, PermissionError):
        return InputError(f"Cannot {doing} {name}: permission denied.")
    reason = exc.strerror or str(exc)
    return InputError(f"Cannot {doing} {name}: {reason[:1].lower()}{reason[1:]}.")




# NumPy's tofile reports a short write on a full disk as "262144 requested and 129520 written",
# without an errno.
_SHORT_WRITE = re.compile(r"\d+ requested and \d+ written")


def _save_error(path: Path, exc: OSError) -> InputError:
    name = _quoted(path)
    folder = path.parent
    kept = " (the old file is unchanged)" if path.exists() else ""
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return InputError(
            f"Cannot save {name}: permission denied in '{printable(str(folder))}'{kept}; choose a folder you can "
            "write to."
        )
    if exc.errno == errno.EROFS:
        return InputError(
            f"Cannot save {name}: '{printable(str(folder))}' is on a read-only disk{kept}; choose a folder you can "
            "write to."
        )
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)) or _SHORT_WRITE.search(str(exc)):
        return InputError(f"Cannot save {name}: the disk is full{kept}; free some space or choose another disk.")
    reason = exc.strerror or str(exc)
    return InputError(f"Cannot save {name}: {reason[:1].lower()}{reason[1:]}{kept}; choose another location.")


def _folder_target(path: Path) -> InputError:
    return InputError(f"Cannot save to '{path}': it is a folder; choose a file name inside it instead.")


def check_replaceable(path: str | os.PathLike[str]) -> None:
    """Refuse to replace an existing file whose mode bits say it is read-only, or a non-file.

    The mode bits are read rather than tried with a write: root may write any file, so a plain
    write would silently replace a file its owner marked read-only.

    Raises
    ------
    InputError
        ``path`` exists and has no write permission bit, or is a pipe, device or socket.
    """
    p = Path(path)
    try:
        mode = os.stat(p).st_mode
    except (OSError, ValueError):
        return  # nothing there yet (or a name the save itself refuses with a message)
    if stat.S_ISDIR(mode):
        raise _folder_target(p)
    if not stat.S_ISREG(mode):
        what = next((kind for test, kind in _KINDS if test(mode)), "not a regular file")
        raise InputError(f"Cannot save {_quoted(p)}: it is {what}, not a file; choose a file name.")
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise InputError(
            f"Cannot save {_quoted(p)}: the file is read-only (the old file is unchanged); "
            "make it writable or choose another name."
        )


def write_atomically(path: str | os.PathLike[str], write: Callable[[BinaryIO], None]) -> None:
    """Write a file so that it is either wholly new or untouched.

    ``write`` fills a temporary file in the target's folder; the temporary file is flushed to
    disk and then replaces ``path`` in one ``os.replace``. If anything fails, the temporary file
    is removed and ``path`` keeps its old bytes. A replaced file keeps its permission bits.

    Parameters
    ----------
    path : str or os.PathLike
        The file to create or replace.
    write : callable
        Called once with the open binary temporary file.

    Raises
    ------
    InputError
        The name holds a NUL or is over 255 bytes, the folder does not exist, ``path`` is a
        folder, a pipe or a device, or a read-only file (by its mode bits), or the disk refuses the write
        (permission, read-only, full). Any other exception from ``write`` propagates unchanged,
        after the temporary file is removed.
    """
    p = Path(path)
    name = _quoted(p)
    problem = _name_problem(p)
    if problem:
        raise InputError(f"Cannot save {name}: {problem}; choose another name.")
    folder = p.parent
    if p.is_dir():
        raise _folder_target(p)
    if not folder.is_dir():
        raise InputError(
            f"Cannot save {name}: the folder '{printable(str(folder))}' does not exist; choose an existing folder."
        )
    check_replaceable(p)
    # The temporary name must itself fit in 255 bytes: keep at most 200 bytes of the target's.
    stem = os.fsencode(p.name)[:200].decode(errors="ignore") or "file"
    temp = folder / f".{stem}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        raise _save_error(p, exc) from None
    try:
        with os.fdopen(fd, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        try:
            os.chmod(temp, stat.S_IMODE(os.stat(p).st_mode))
        except OSError:
            pass  # a new file keeps the mode the umask gave it
        os.replace(temp, p)
    except BaseException as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _save_error(p, exc) from None
        raise
