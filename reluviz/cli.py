"""The ``reluviz`` command line. Imports no Qt until a window or an export needs it."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from reluviz._version import __version__

__all__ = ["build_parser", "display_problem", "main"]

# Qt platforms that draw without a display server (tests, screenshots, frame buffers).
_HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay")


def display_problem() -> str | None:
    """Say why no window can open here, or ``None``; checked before QApplication exists.

    Without a display, QApplication aborts the process (exit 134, "could not connect to
    display") instead of raising, so the check has to come first. Only Linux and the other
    X11/Wayland systems are checked: Windows and macOS always have their own display.
    """
    if sys.platform in ("win32", "darwin", "cygwin"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if platform in _HEADLESS_PLATFORMS:
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return ("no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset); run reluviz in a "
            "desktop session, or render files without one: reluviz export --help")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for ``reluviz`` (the app)."""
    parser = argparse.ArgumentParser(
        prog="reluviz",
        description="See backpropagation through ReLU: drelu = dvalues.copy(); drelu[z <= 0] = 0",
        epilog="With no arguments the app opens on the book's example (nnfs chapter 9). "
        "'reluviz export --help' renders images and animations without a window.",
    )
    parser.add_argument("--version", action="version", version=f"reluviz {__version__}")
    parser.add_argument("--z", type=Path, metavar="FILE", help="open z from a .npy or .csv file")
    parser.add_argument("--dvalues", type=Path, metavar="FILE", help="open dvalues from a .npy or .csv file")
    parser.add_argument("--session", type=Path, metavar="FILE", help="open a saved .reluviz session")
    parser.add_argument("file", type=Path, nargs="?", metavar="FILE",
                        help="a .reluviz session to open, or an array file (.npy, .csv, .tsv, .txt) to open as z "
                        "(with dvalues all ones, so drelu shows which gradients pass)")
    parser.add_argument("--self-test", action="store_true",
                        help="open the window offscreen, edit a cell, export a PNG, print the versions, then quit")
    return parser


class _RefusedError(Exception):
    """A command line that cannot start the app: its message goes to stderr, the exit code is 2."""


def _load(path):
    """One array file, or :class:`_RefusedError` with the loader's plain-words reason."""
    from reluviz.core.io.array_files import load_array
    from reluviz.core.io.limits import InputError

    try:
        return load_array(path)
    except InputError as error:
        raise _RefusedError(str(error)) from None


def _from_file(args: argparse.Namespace):
    """``reluviz FILE``: a session (read later, as ``--session``), or an array opened as z."""
    if args.session is not None or args.z is not None or args.dvalues is not None:
        raise _RefusedError("give either a FILE or --session/--z/--dvalues, not both")
    if args.file.suffix.lower() == ".reluviz":
        args.session = args.file
        return None, None
    import numpy as np

    z = _load(args.file)
    return z, np.ones(z.shape)


def _from_session(args: argparse.Namespace):
    """``--session``: the loaded session."""
    if args.z is not None or args.dvalues is not None:
        raise _RefusedError("--session already holds z and dvalues; give either --session or --z/--dvalues")
    from reluviz.core.io.limits import InputError
    from reluviz.core.io.session import load_session

    try:
        return load_session(args.session)
    except InputError as error:
        raise _RefusedError(str(error)) from None


def _from_pair(args: argparse.Namespace):
    """``--z`` and ``--dvalues``: both arrays, of one shape."""
    if args.z is None or args.dvalues is None:
        raise _RefusedError("--z and --dvalues go together (both arrays must have the same shape)")
    z, dvalues = _load(args.z), _load(args.dvalues)
    if z.shape != dvalues.shape:
        from reluviz.core.io.limits import shape_mismatch_text
        raise _RefusedError(shape_mismatch_text(z.shape, dvalues.shape))
    return z, dvalues


def _app_inputs(args: argparse.Namespace):
    """``(z, dvalues, session)`` the app opens with (each may be ``None``), or :class:`_RefusedError`."""
    z = dvalues = session = None
    if args.file is not None:
        z, dvalues = _from_file(args)
    if args.session is not None:
        session = _from_session(args)
    if args.z is not None or args.dvalues is not None:
        z, dvalues = _from_pair(args)
    problem = display_problem()
    if problem:
        raise _RefusedError(problem)
    return z, dvalues, session


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments[:1] == ["export"]:
        from reluviz.export_cli import main as export_main

        return export_main(arguments[1:])
    args = build_parser().parse_args(arguments)
    if args.self_test:
        from reluviz.selftest import run_self_test

        return run_self_test()
    try:
        z, dvalues, session = _app_inputs(args)
    except _RefusedError as refusal:
        print(f"reluviz: {refusal}", file=sys.stderr)
        return 2
    from reluviz.ui.app import run_app

    # The arrays were loaded for this window alone: it keeps them rather than a second copy.
    return run_app(z, dvalues, session=session, session_path=args.session, take_ownership=True)
