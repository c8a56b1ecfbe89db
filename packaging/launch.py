"""Entry script for the PyInstaller bundle: the same command line as the ``reluviz`` script."""

import sys


def _reattach_windows_console() -> None:
    """Give a windowed Windows build the terminal it was started from (untested: no Windows here).

    A bundle built with ``console=False`` has no ``sys.stdout`` on Windows, so ``reluviz --version``
    and the one-line CLI errors would vanish. ``AttachConsole(ATTACH_PARENT_PROCESS)`` succeeds only
    when a terminal started the program; a double-click from Explorer keeps no console at all.
    """
    if sys.platform != "win32" or sys.stdout is not None:
        return
    import ctypes

    if ctypes.windll.kernel32.AttachConsole(-1):
        sys.stdout = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # lives as long as the process
        sys.stderr = sys.stdout


_reattach_windows_console()

from reluviz.cli import main  # noqa: E402 (after the console is attached, so import errors print)

sys.exit(main())
