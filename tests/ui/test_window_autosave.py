"""Nothing lost: the open session is autosaved while it has unsaved changes, and restored after a kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np

from reluviz.core.io.session import save_session
from reluviz.ui.autosave import AUTOSAVE_DIR_ENV, AUTOSAVE_NAME, DEFAULT_INTERVAL_MS
from reluviz.ui.main_window import MainWindow
from tests.ui.helpers import click_cell, type_into_cell

ROOT = Path(__file__).resolve().parents[2]


def _autosave(win: MainWindow) -> Path:
    assert win.autosaver is not None
    return win.autosaver.path


def test_autosave_lives_in_the_folder_tests_point_at(window):
    assert str(_autosave(window).parent) == os.environ[AUTOSAVE_DIR_ENV]
    assert window.autosaver.timer.interval() == DEFAULT_INTERVAL_MS and window.autosaver.timer.isActive()


def test_the_timer_saves_only_while_there_are_unsaved_changes(window, qtbot, tmp_path):
    path = _autosave(window)
    window.autosaver.timer.timeout.emit()  # one tick, now
    assert not path.exists()  # nothing unsaved: nothing written
    panel = window.arrays_view.panels["z"]
    click_cell(qtbot, panel, 0, 1)
    type_into_cell(qtbot, panel, "9.5")
    window.autosaver.timer.timeout.emit()
    assert path.is_file()
    # The bytes are the session writer's for what is on screen.
    save_session(tmp_path / "same.reluviz", window.current_session())
    assert path.read_bytes() == (tmp_path / "same.reluviz").read_bytes()
    # A clean save removes it; so does closing.
    assert window.save_session_to(tmp_path / "mine.reluviz")
    assert not path.exists()
    type_into_cell(qtbot, panel, "3")
    window.autosaver.timer.timeout.emit()
    assert path.exists()
    window.close()
    assert not path.exists()


def test_each_train_step_is_autosaved_at_once(window):
    path = _autosave(window)
    window.network_view.train_button.click()
    window.network_view.pause()
    assert path.is_file()


def test_declining_the_restore_removes_the_autosave(window, qtbot):
    panel = window.arrays_view.panels["z"]
    click_cell(qtbot, panel, 0, 0)
    type_into_cell(qtbot, panel, "5")
    assert window.autosaver.save_now()
    second = MainWindow()
    qtbot.addWidget(second)
    asked: list[Path] = []
    second.ask_restore_autosave = lambda path: asked.append(path) or False
    assert not second.offer_restore()
    assert asked and not _autosave(second).exists()
    assert second.model.z[0, 0] == 1.0


DRIVER = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QSettings, QTimer, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[1])
    app = QApplication(["reluviz"])

    from reluviz.ui.app import run_app
    from reluviz.ui.main_window import MainWindow

    def edit():
        window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
        QTest.qWaitForWindowExposed(window)
        panel = window.arrays_view.panels["z"]
        QTest.mouseClick(panel, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         panel.cell_rect(1, 2).center().toPoint())
        QTest.keyClicks(panel, "4")
        QTest.keyClicks(panel.editor, "2.25")
        QTest.keyClick(panel.editor, Qt.Key.Key_Return)
        window.network_view.train_button.click()  # a Train step autosaves at once
        window.autosaver.timer.timeout.emit()  # and so does the timer's tick
        print("autosaved", float(window.model.z[1, 2]), window.network_view.run.step, flush=True)

    QTimer.singleShot(0, edit)
    run_app()
""")


def test_a_killed_app_offers_its_autosave_at_the_next_start(qtbot, tmp_path):
    folder = Path(os.environ[AUTOSAVE_DIR_ENV])
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    with subprocess.Popen([sys.executable, "-c", DRIVER, str(tmp_path / "settings")], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT) as process:
        try:
            line = process.stdout.readline()
            assert line.split() == ["autosaved", "42.25", "1"], (line, "" if line else process.stderr.read())
            process.send_signal(signal.SIGKILL)  # no close, no clean-up: as a crash would leave it
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert process.returncode == -signal.SIGKILL
    autosaved = (folder / AUTOSAVE_NAME).read_bytes()

    # The next start (as run_app does it): the restore is offered, and restores those bytes.
    window = MainWindow()
    qtbot.addWidget(window)
    asked: list[Path] = []
    window.ask_restore_autosave = lambda path: asked.append(path) or True
    assert window.offer_restore()
    assert asked == [folder / AUTOSAVE_NAME]
    assert window.model.z[1, 2] == 42.25 and window.network_view.run.step == 1
    assert window.isWindowModified() and window.has_unsaved_changes()
    save_session(tmp_path / "restored.reluviz", window.current_session())
    assert (tmp_path / "restored.reluviz").read_bytes() == autosaved
    # Still there until the restored work is saved or closed: a second crash loses nothing.
    assert (folder / AUTOSAVE_NAME).read_bytes() == autosaved
    window.autosaver.timer.timeout.emit()
    assert (folder / AUTOSAVE_NAME).read_bytes() == autosaved
    np.testing.assert_array_equal(window.model.dvalues, np.arange(1.0, 13.0).reshape(3, 4))
