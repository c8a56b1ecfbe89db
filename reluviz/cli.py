"""The ``reluviz`` command line. Imports no Qt until a window or an export needs it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reluviz import __version__

__all__ = ["build_parser", "main"]


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
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments[:1] == ["export"]:
        from reluviz.export_cli import main as export_main

        return export_main(arguments[1:])
    args = build_parser().parse_args(arguments)
    z = dvalues = None
    session = None
    if args.session is not None:
        if args.z is not None or args.dvalues is not None:
            print("reluviz: --session already holds z and dvalues; give either --session or --z/--dvalues",
                  file=sys.stderr)
            return 2
        from reluviz.core.limits import InputError
        from reluviz.core.session import load_session

        try:
            session = load_session(args.session)
        except InputError as error:
            print(f"reluviz: {error}", file=sys.stderr)
            return 2
    if args.z is not None or args.dvalues is not None:
        if args.z is None or args.dvalues is None:
            print("reluviz: --z and --dvalues go together (both arrays must have the same shape)",
                  file=sys.stderr)
            return 2
        from reluviz.core.array_io import load_array
        from reluviz.core.limits import InputError

        try:
            z, dvalues = load_array(args.z), load_array(args.dvalues)
        except InputError as error:
            print(f"reluviz: {error}", file=sys.stderr)
            return 2
        if z.shape != dvalues.shape:
            print(f"reluviz: z is {z.shape[0]}×{z.shape[1]} but dvalues is "
                  f"{dvalues.shape[0]}×{dvalues.shape[1]}; they must have the same shape",
                  file=sys.stderr)
            return 2
    from reluviz.ui.app import run_app

    # The arrays were loaded for this window alone: it keeps them rather than a second copy.
    return run_app(z, dvalues, session=session, session_path=args.session, take_ownership=True)
