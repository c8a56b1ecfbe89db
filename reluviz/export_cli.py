"""``reluviz export``: render the arrays or the network to PNG, SVG, PDF, GIF, WebP or MP4 headless.

Arguments are parsed and checked before Qt is imported, so ``reluviz export --help`` and bad
input answer fast and without a display. Every refusal is one line on stderr and exit code 2.

Why this is long: it is the whole command — its help and examples (~110 lines), a check with its
own sentence for every flag that does not fit the others, and the few lines that hand the result
to :mod:`reluviz.render`; each function is short, and splitting the command would scatter it.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys
from pathlib import Path

# Qt-free: the sizes and formats are checked before Qt is imported.
from reluviz.render.export_formats import (
    ANIMATION_SUFFIXES,
    BASE_SIZE,
    IMAGE_SUFFIXES,
    MAX_EXPORT_PX,
    MIN_EXPORT_PX,
    MP4_UNAVAILABLE,
    mp4_available,
)

__all__ = ["build_parser", "main"]

VIEWS = ("arrays", "z", "dvalues", "mask", "drelu", "network")
NETWORK_PRESETS = ("book", "default", "dead")  # reluviz.core.network.PRESETS, without importing NumPy
STILL_SUFFIXES = IMAGE_SUFFIXES
MOTION_SUFFIXES = ANIMATION_SUFFIXES
DEFAULT_SIZE = (1920, 1080)
# Slower than 2 s a frame, GIF's and WebP's millisecond frame delays overflow (0.001 fps asked
# for 1000 s a frame and raised OverflowError); faster than 60, players drop frames.
MIN_FPS, MAX_FPS = 0.5, 60.0

EXAMPLES = """\
examples:
  reluviz export -o book.png                          the book's example, four panels, 1920×1080
  reluviz export --preset all-blocked --theme dark -o blocked.svg
  reluviz export --z z.npy --dvalues dvalues.csv --view drelu --size 3840x2160 -o drelu.png
  reluviz export --caption "drelu[z <= 0] = 0" --transparent -o slide.png
  reluviz export --view network --frame 8 -o network.pdf
  reluviz export --view network --network-preset dead --sample all --theme dark -o dead.png
  reluviz export --view network --sample 12 --fps 15 --size 1280x720 -o backprop.gif
  reluviz export --session lesson.reluviz --caption code -o lesson.png
  reluviz export --lesson -o lesson.pdf               the lesson deck (.png/.svg: one file per page)

Samples and units count from 0, as in NumPy and the Arrays view (sample 12 is row 12 of z);
frames count from 1, as the app's frame counter does.

Formats come from the output's ending: .png .svg .pdf for pictures; .gif .webp .mp4 for the
network animation (.mp4 needs the optional package imageio-ffmpeg). A path without an ending
with --view network and --fps writes numbered PNG frames into that folder.
"""


class UsageError(Exception):
    """A bad command line; the message is printed as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage block
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for ``reluviz export``."""
    parser = _Parser(
        prog="reluviz export",
        description="Render reluviz figures for slides without opening a window.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = parser.add_argument_group("what to show")
    source.add_argument("--preset", metavar="NAME",
                        help="arrays: book (default), nnfs-batch, exact-zeros, all-blocked, all-passing; "
                             "network: default (default), book, dead")
    source.add_argument("--session", type=Path, metavar="FILE",
                        help="a saved .reluviz session: its arrays, operator, colormap and colour ranges "
                        "(with --view network: its network preset and seed)")
    source.add_argument("--z", type=Path, metavar="FILE", help="z from a .npy, .csv, .tsv or .txt file")
    source.add_argument("--dvalues", type=Path, metavar="FILE", help="dvalues from a file (same shape as z)")
    source.add_argument("--view", choices=VIEWS, default="arrays",
                        help="the four panels (default), one panel, or the network")
    source.add_argument("--strict", action="store_true", help="use z < 0 instead of the book's z <= 0")
    source.add_argument("--frame", type=int, metavar="N",
                        help="network still: frame number as shown in the app (1 = first; default: last)")
    source.add_argument("--network-preset", choices=NETWORK_PRESETS, metavar="NAME",
                        help="network: book, default (default) or dead (the same as --preset with --view network)")
    source.add_argument("--sample", metavar="N|all",
                        help="network: the batch row to follow, counted from 0, or 'all' for the whole batch "
                             "(default: the app's first readable sample, with open and closed gates)")
    source.add_argument("--seed", type=int, default=None, metavar="N",
                        help="network: random seed (default 0, or the session's)")
    source.add_argument("--lesson", action="store_true",
                        help="the lesson deck: the code stepped on the arrays, .copy(), <= at 0, shapes, forms, "
                             "the network's pass and the five questions (.pdf: one file; .png/.svg: one per page)")
    look = parser.add_argument_group("how it looks")
    size = look.add_mutually_exclusive_group()
    size.add_argument("--size", metavar="WxH", help="output size in pixels, e.g. 1920x1080 (default), "
                                                    "1280x720, 3840x2160")
    size.add_argument("--scale", type=float, metavar="F", help=f"size as a multiple of {BASE_SIZE[0]}x{BASE_SIZE[1]}")
    look.add_argument("--theme", choices=("light", "dark"), default="light",
                      help="light (default) or dark, for the arrays and the network")
    look.add_argument("--colormap", metavar="NAME",
                      help="colormap of the value panels and the network's edges (default blue-red)")
    look.add_argument("--caption", metavar="TEXT",
                      help="a line under the figure; 'code' prints drelu = dvalues.copy(); drelu[z <= 0] = 0; "
                           "for the network, 'step' prints the frame's step card")
    look.add_argument("--transparent", action="store_true", help="arrays as PNG/SVG/PDF: no background fill")
    look.add_argument("--presentation", action="store_true",
                      help="larger text and thicker lines for a projector (as View → Presentation style)")
    look.add_argument("--fps", type=float, metavar="N",
                      help="network animation frames per second, 0.5 to 60 (default 12)")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUT",
                        help="file to write: .png .svg .pdf .gif .webp .mp4 (or, with --view network, a "
                        "folder for numbered PNG frames)")
    return parser


def _parse_size(args: argparse.Namespace) -> tuple[int, int]:
    if args.size is not None:
        match = re.fullmatch(r"\s*([0-9]+)\s*[x×X*]\s*([0-9]+)\s*", args.size)
        if not match:
            raise UsageError(f"--size {args.size!r} is not WIDTHxHEIGHT, e.g. 1920x1080")
        width, height = int(match[1]), int(match[2])
    elif args.scale is not None:
        if not 0 < args.scale < 100:
            raise UsageError(f"--scale {args.scale:g} is outside the accepted range: more than 0, less than 100 "
                             "(e.g. 1.5 or 3)")
        width, height = round(BASE_SIZE[0] * args.scale), round(BASE_SIZE[1] * args.scale)
    else:
        width, height = DEFAULT_SIZE
    if not (MIN_EXPORT_PX <= width <= MAX_EXPORT_PX and MIN_EXPORT_PX <= height <= MAX_EXPORT_PX):
        raise UsageError(f"size {width}x{height} is out of range; each side must be {MIN_EXPORT_PX} to "
                         f"{MAX_EXPORT_PX} px")
    return width, height


def _check(args: argparse.Namespace) -> tuple[str, tuple[int, int]]:
    """Validate everything that needs no Qt; return the output kind and size."""
    out: Path = args.output
    suffix = out.suffix.lower()
    network = args.view == "network"
    if args.lesson:
        _check_lesson(args, suffix)
    kind = _output_kind(out, suffix, network)
    _check_look(args, kind, suffix, network)
    _check_sources(args, network)
    args.sample_row = _parse_sample(args.sample)
    _check_output_name(out)
    _check_folder(out, suffix, kind)
    return kind, _parse_size(args)


def _output_kind(out: Path, suffix: str, network: bool) -> str:
    """``"animation"`` or ``"still"``, from the output's ending (no ending: a folder of frames)."""
    if suffix in MOTION_SUFFIXES or (suffix == "" and network and out.name not in ("", ".", "..")):
        if not network:
            raise UsageError(f"{out.name}: animations show the network; add --view network "
                             "(or write the arrays as .png, .svg or .pdf)")
        kind = "animation"
    elif suffix in STILL_SUFFIXES:
        kind = "still"
    else:
        shown = suffix or "no ending"
        raise UsageError(f"cannot write {out.name!r} ({shown}): use .png, .svg, .pdf, .gif, .webp or .mp4")
    if suffix == ".mp4" and not mp4_available():
        raise UsageError(MP4_UNAVAILABLE)
    return kind


def _check_look(args: argparse.Namespace, kind: str, suffix: str, network: bool) -> None:
    """Refuse caption, frame rate, frame, transparency and seed flags the output cannot use."""
    if args.caption == "step" and not network:
        raise UsageError("--caption step shows the network's step card; add --view network, or give your own text")
    if args.fps is not None and kind != "animation":
        raise UsageError(f"--fps is for animations (.gif, .webp, .mp4 or a folder of frames), "
                         f"not {suffix or 'a folder'}")
    if args.fps is not None and not MIN_FPS <= args.fps <= MAX_FPS:  # also refuses nan
        raise UsageError(f"--fps {args.fps:g} is outside the accepted range: {MIN_FPS:g} to {MAX_FPS:g} "
                         "frames per second")
    if args.frame is not None and (not network or kind == "animation"):
        raise UsageError("--frame picks one network frame for a still picture; use it with --view network "
                         "and a .png, .svg or .pdf output")
    if args.transparent and network:  # the app greys the box out for the network, too
        raise UsageError("--transparent applies to array exports only; the network is drawn on its background")
    if args.seed is not None and not 0 <= args.seed <= 2**31 - 1:
        raise UsageError(f"--seed {args.seed} is outside 0 to 2147483647")


def _check_sources(args: argparse.Namespace, network: bool) -> None:
    """Refuse flags that name the arrays or the network twice, or for the wrong view."""
    if args.session is not None and (args.z is not None or args.preset is not None
                                     or args.network_preset is not None):
        raise UsageError("--session gives the arrays and the network; don't combine it with --z, --dvalues, "
                         "--preset or --network-preset")
    if (args.z is None) != (args.dvalues is None):
        raise UsageError("--z and --dvalues go together (both arrays must have the same shape)")
    if args.z is not None and (args.preset is not None or network):
        raise UsageError("--z/--dvalues give the arrays; don't combine them with --preset or --view network")
    for flag, value in (("--sample", args.sample), ("--network-preset", args.network_preset)):
        if value is not None and not network:
            raise UsageError(f"{flag} is for the network; add --view network")
    if network and args.network_preset is not None and args.preset not in (None, args.network_preset):
        raise UsageError(f"--preset {args.preset} and --network-preset {args.network_preset} disagree; "
                         "give the network preset once")


def _check_folder(out: Path, suffix: str, kind: str) -> None:
    """Refuse an output whose folder is missing or not writable, or a file that cannot be replaced."""
    folder = out if (suffix == "" and kind == "animation") else out.parent
    folder = folder if folder != Path("") else Path(".")
    if out.is_dir() and suffix != "":
        raise UsageError(f"cannot write {out}: it is a folder; give a file name")
    target_folder = folder.parent if folder == out else folder
    if not target_folder.is_dir():
        raise UsageError(f"cannot write {out}: the folder '{target_folder}' does not exist")
    if not os.access(target_folder, os.W_OK):
        raise UsageError(f"cannot write {out}: permission denied in '{target_folder}'")
    if suffix != "" or kind != "animation":
        _check_replaceable(out)


def _shown(path: Path) -> str:
    """A path for a one-line message: control characters escaped, very long names shortened."""
    text = str(path)
    if len(text) > 80:
        text = text[:50] + "…" + text[-20:]
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}"
                   for ch in text)


def _check_output_name(out: Path) -> None:
    """Refuse output names no file system accepts, before anything is rendered."""
    if "\x00" in str(out):
        raise UsageError(f"cannot write {_shown(out)}: the name holds a NUL character, which no file name may contain")
    for part in out.parts:
        length = len(os.fsencode(part))
        if length > 255:
            raise UsageError(f"cannot write {_shown(out)}: a name in it is {length} bytes long, more than the "
                             "255 bytes a file name may have")


def _check_replaceable(out: Path) -> None:
    """Refuse to replace a read-only file (by its mode bits: root could write it anyway) or a non-file."""
    import stat

    try:
        mode = os.stat(out).st_mode
    except OSError:
        return  # nothing there yet
    if not stat.S_ISREG(mode):
        raise UsageError(f"cannot write {_shown(out)}: it exists and is not a regular file")
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise UsageError(f"cannot write {_shown(out)}: the file is read-only (it was left unchanged); "
                         "make it writable or choose another name")


def _check_lesson(args: argparse.Namespace, suffix: str) -> None:
    """``--lesson`` writes the whole deck: refuse the flags that pick one view or one frame."""
    if suffix not in STILL_SUFFIXES:
        raise UsageError("--lesson writes .pdf (one file) or .png/.svg (one file per page), "
                         f"not {suffix or 'a folder'}")
    clashing = [flag for flag, given in (("--view", args.view != "arrays"), ("--frame", args.frame is not None),
                                         ("--fps", args.fps is not None), ("--caption", args.caption is not None),
                                         ("--transparent", args.transparent), ("--sample", args.sample is not None))
                if given]
    if clashing:
        raise UsageError(f"--lesson writes the whole deck; don't combine it with {', '.join(clashing)}")


def _session(args: argparse.Namespace):
    """The session named by --session, loaded once (``None`` without the flag)."""
    if args.session is None:
        return None
    if getattr(args, "loaded_session", None) is None:
        from reluviz.core.io.session import load_session

        args.loaded_session = load_session(args.session)
    return args.loaded_session


def _arrays(args: argparse.Namespace):
    from reluviz.core.presets import PRESETS, preset_arrays

    session = _session(args)
    if session is not None:
        return session.z, session.dvalues
    if args.z is not None:
        from reluviz.core.io.array_files import load_array

        z, dvalues = load_array(args.z), load_array(args.dvalues)
        if z.shape != dvalues.shape:
            from reluviz.core.io.limits import shape_mismatch_text
            raise UsageError(shape_mismatch_text(z.shape, dvalues.shape))
        return z, dvalues
    name = args.preset or "book"
    if name not in PRESETS:
        raise UsageError(f"unknown preset {name!r}; array presets: {', '.join(PRESETS)}")
    return preset_arrays(name)


def _parse_sample(value: str | None) -> int | str | None:
    """``None`` (the default sample), ``"all"`` (the whole batch) or a row number >= 0."""
    if value is None:
        return None
    text = value.strip().lower()
    if text in ("all", "batch"):
        return "all"
    if not re.fullmatch(r"[0-9]{1,9}", text):  # ASCII digits: int() also reads "١٢" and "１２"
        raise UsageError(f"--sample {value!r} is not a sample number (0, 1, 2, ...) or 'all'")
    return int(text)


def _timeline(args: argparse.Namespace):
    from reluviz.core.network import PRESETS
    from reluviz.core.network.timeline import build_timeline
    from reluviz.core.network_document import NetworkDocument

    session = _session(args)
    name = session.network.preset if session is not None else (args.network_preset or args.preset or "default")
    if name not in PRESETS:
        raise UsageError(f"unknown network preset {name!r}; network presets: {', '.join(PRESETS)}")
    seed = session.network.seed if session is not None and args.seed is None else (args.seed or 0)
    # The network document the app shows (one Train-step replay, the pass on show, the followed
    # sample), so the export shows the network the user saw, unless --sample says otherwise.
    doc = NetworkDocument(name, seed)
    if session is not None:
        config = session.network
        doc.restore(name, seed, config.batch_size, config.trained_learning_rates, config.learning_rate,
                    config.sample, config.whole_batch)
    record = doc.pass_record
    row = getattr(args, "sample_row", None)
    if row is None:
        sample = doc.shown_sample  # the session's, or the row the app opens on (never the origin)
    elif row == "all":
        sample = None
    elif row >= record.batch_size:
        raise UsageError(f"--sample {row} is outside the batch: samples are 0 to {record.batch_size - 1} "
                         "(or 'all')")
    else:
        sample = row
    return build_timeline(record, sample)



def _ensure_headless() -> None:
    if not any(os.environ.get(name) for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")):
        if sys.platform.startswith("linux"):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"


def _render_lesson(args: argparse.Namespace, size: tuple[int, int]) -> Path:
    z, dvalues = _arrays(args)
    session = _session(args)
    _check_colormap(args)
    from reluviz.core.colour import COLORMAPS, DEFAULT_COLORMAP

    network_preset = session.network.preset if session is not None else (args.network_preset or "default")
    seed = session.network.seed if session is not None and args.seed is None else (args.seed or 0)
    app = _start_qt()
    from reluviz.render.lesson_deck import lesson_pages, network_timeline, write_lesson
    from reluviz.render.teaching_pages import Lesson
    from reluviz.render.theme import PRESENTATION_SCALE, THEMES

    inclusive = not args.strict and (session is None or session.inclusive)
    cmap = args.colormap or (session.colormap if session is not None and session.colormap in COLORMAPS
                             else DEFAULT_COLORMAP)
    theme = THEMES[args.theme].scaled(PRESENTATION_SCALE) if args.presentation else THEMES[args.theme]
    deck = lesson_pages(Lesson(z, dvalues, inclusive, cmap), network_timeline(network_preset, seed))
    written = write_lesson(args.output, deck, *size, theme)
    del app
    return written[0] if len(written) == 1 else args.output.parent


def _start_qt():
    """The QGuiApplication an export paints with (made once), with the shipped fonts loaded."""
    _ensure_headless()
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["reluviz-export"])
    from reluviz.render.fonts import load_app_fonts

    load_app_fonts()
    return app


def _check_colormap(args: argparse.Namespace) -> None:
    if args.colormap is not None:
        from reluviz.core.colour import COLORMAPS

        if args.colormap not in COLORMAPS:
            raise UsageError(f"unknown colormap {args.colormap!r}; colormaps: {', '.join(COLORMAPS)}")


def _render(args: argparse.Namespace, kind: str, size: tuple[int, int]) -> Path:
    if args.lesson:
        return _render_lesson(args, size)
    # Load the data before starting Qt: a bad file is refused fast.
    if args.view == "network":
        timeline = _timeline(args)
    else:
        arrays = _arrays(args)
    _check_colormap(args)
    app = _start_qt()
    from reluviz.render.theme import PRESENTATION_SCALE, THEMES
    from reluviz.render.writers import write_figure

    theme = THEMES[args.theme].scaled(PRESENTATION_SCALE) if args.presentation else THEMES[args.theme]
    if args.view != "network":
        path = write_figure(args.output, _arrays_figure(args, *arrays, theme, size))
    elif kind == "animation":
        path = _write_network_animation(args, timeline, theme, size)
    else:
        path = write_figure(args.output, _network_still(args, timeline, theme, size))
    del app
    return path


def _arrays_figure(args: argparse.Namespace, z, dvalues, theme, size: tuple[int, int]):
    """The arrays figure the flags (and the session, if any) ask for."""
    from reluviz.core.colour import COLORMAPS, DEFAULT_COLORMAP
    from reluviz.core.presets import PRESETS as ARRAY_PRESETS
    from reluviz.render import figures

    session = _session(args)
    inclusive = not args.strict and (session is None or session.inclusive)
    cmap = args.colormap or (session.colormap if session is not None and session.colormap in COLORMAPS
                             else DEFAULT_COLORMAP)
    ranges = {}
    if session is not None:
        from reluviz.core.io.session import widened_range  # only with a session: it costs an import

        # The app widens a saved range that is narrower than the data; the export must match it.
        ranges = {"z_range": widened_range(session.z_range, z),
                  "grad_range": widened_range(session.grad_range, dvalues)}
    preset = ARRAY_PRESETS.get(args.preset or "book") if session is None and args.z is None else None
    panels = figures.panels_from_arrays(z, dvalues, inclusive=inclusive, cmap=cmap,
                                        precision=session.precision if session is not None else 3,
                                        axis_names=preset.axis_names if preset is not None else None, **ranges)
    caption = figures.code_caption(inclusive) if args.caption == "code" else args.caption
    roles = figures.ROLES if args.view == "arrays" else (args.view,)
    return figures.arrays_figure(panels, *size, theme, caption=caption, roles=roles, transparent=args.transparent)


def _network_look(args: argparse.Namespace, theme) -> dict:
    from reluviz.core.colour import COLORMAPS, DEFAULT_COLORMAP

    # As the app paints it: the session's colormap (the network shares the arrays'), unless --colormap.
    session = _session(args)
    cmap = args.colormap or (session.colormap if session is not None and session.colormap in COLORMAPS
                             else DEFAULT_COLORMAP)
    return {"colormap": cmap, "theme": theme}


def _write_network_animation(args: argparse.Namespace, timeline, theme, size: tuple[int, int]) -> Path:
    from reluviz.render.network_figures import network_frames
    from reluviz.render.writers import write_animation

    fps = args.fps or 12.0
    count, frames = network_frames(timeline, *size, fps, caption=args.caption == "step",
                                   **_network_look(args, theme))
    bar = progress_bar(sys.stderr, args.output.name) if sys.stderr.isatty() else None
    return write_animation(args.output, frames, count, fps, bar)


def _network_still(args: argparse.Namespace, timeline, theme, size: tuple[int, int]):
    """One network frame (``--frame``, default the last) as a figure."""
    from reluviz.render.network_figures import network_figure

    frames = timeline.frames
    number = len(frames) if args.frame is None else args.frame
    if not 1 <= number <= len(frames):
        raise UsageError(f"--frame {number} is outside 1..{len(frames)}")
    frame = frames[number - 1]
    caption = frame.text if args.caption == "step" else args.caption
    # Pulses at rest where they arrive, as the app shows a stepped frame (the legend says so).
    return network_figure(frame.scene, *size, 1.0, caption, **_network_look(args, theme))


def progress_bar(stream, label: str, width: int = 30):
    """A ``progress(done, total)`` callback drawing ``label [#####.....] 52/135 frames`` on one line.

    Only for a terminal: the line is redrawn in place with a carriage return, and ends with a
    newline when the last frame is done.
    """

    def report(done: int, total: int) -> bool:
        filled = width * done // max(total, 1)
        stream.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} frames")
        if done >= total:
            stream.write("\n")
        stream.flush()
        return True

    return report


def main(argv: list[str]) -> int:
    """Run ``reluviz export``; returns the exit code (0 written, 2 refused)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        kind, size = _check(args)
        path = _render(args, kind, size)
    except SystemExit as done:  # --help, --version
        return done.code if isinstance(done.code, int) else 0
    except UsageError as error:
        print(f"reluviz export: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # "[Errno 28] ..." is noise: say what failed, in words
        where = f" {_shown(Path(error.filename))}" if error.filename else ""
        reason = error.strerror or str(error).strip() or type(error).__name__
        if error.errno == errno.ENOSPC or re.search(r"\d+ requested and \d+ written", str(error)):
            reason = "the disk is full"
        print(f"reluviz export: cannot write{where}: {reason[:1].lower()}{reason[1:]}", file=sys.stderr)
        return 2
    except (ValueError, KeyError) as error:  # InputError is a ValueError with a sentence
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(f"reluviz export: {message}", file=sys.stderr)
        return 2
    print(f"wrote {path}")
    return 0
