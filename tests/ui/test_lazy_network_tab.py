"""The Network tab is built when first needed: start-up, sessions, autosave and exports read the
network document, never the view."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtGui import QImage

from reluviz.core.io.session import load_session
from reluviz.core.network.timeline import build_timeline
from reluviz.render import figures as export
from reluviz.render.network_figures import network_figure
from reluviz.ui.autosave import AUTOSAVE_DIR_ENV
from reluviz.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def _network_tab_built(window: MainWindow) -> bool:
    index = next(i for i in range(window.tabs.count()) if window.tabs.tabText(i) == "Network")
    return window.tabs.widget(index).objectName() != "network_placeholder"


def _weights(window: MainWindow) -> list[bytes]:
    layers = window.network_doc.run.network.dense_layers
    return [layer.weights.tobytes() + layer.biases.tobytes() for layer in layers]


# Started as a user starts it (``python -m reluviz``), until the main window's first paint.
STARTER = textwrap.dedent("""
    import atexit, runpy, sys
    WATCHED = ("pyqtgraph", "reluviz.ui.network_view", "reluviz.ui.main_window")
    atexit.register(lambda: print("imported:", *[m for m in WATCHED if m in sys.modules], flush=True))
    sys.argv = ["reluviz"]
    runpy.run_module("reluviz", run_name="__main__", alter_sys=True)
""")


def test_a_started_app_has_imported_neither_pyqtgraph_nor_the_network_view(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), RELUVIZ_EXIT_AFTER_FIRST_PAINT="1",
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    env[AUTOSAVE_DIR_ENV] = str(tmp_path / "autosave")  # no autosave of another test to offer
    done = subprocess.run([sys.executable, "-c", STARTER], env=env, capture_output=True, text=True, timeout=120,
                          cwd=ROOT)
    lines = done.stdout.split("\n")
    assert done.returncode == 0 and "first-paint" in lines, (done.stdout, done.stderr)
    # The main window was made (the check sees imports), the network view and pyqtgraph were not.
    assert "imported: reluviz.ui.main_window" in lines, done.stdout


def test_the_tab_is_built_on_first_show_and_paints(window, qtbot):
    assert not _network_tab_built(window)
    window.network_doc.restore("dead", 2, None, [0.5], learning_rate=0.5, sample=5, whole_batch=False)
    window.tabs.setCurrentIndex(1)
    view = window.network_view
    assert window.tabs.currentWidget() is view and _network_tab_built(window)
    qtbot.waitUntil(view.canvas.isVisible)
    assert view.preset_combo.currentData() == "dead" and view.sample_spin.value() == 5
    assert view.theme is window.arrays_view.theme and view.colormap == window.arrays_doc.colormap
    assert window.status_label.text() and window.status_label.text() in view.frame.text
    image = view.canvas.grab().toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 20  # a network, not an empty page
    window.tabs.setCurrentIndex(0)
    window.tabs.setCurrentIndex(1)
    assert window.network_view is view  # built once


def test_a_trained_session_round_trips_and_autosaves_with_the_tab_never_shown(window, qtbot, tmp_path):
    doc = window.network_doc
    doc.reset(preset="dead", seed=4, batch_size=60)
    doc.train_step()
    doc.set_learning_rate(0.25)
    doc.train_step()
    doc.set_sample(7)
    assert window.isWindowModified()  # network changes are unsaved work
    # A Train step autosaves at once, from the document.
    autosaved = load_session(window.autosaver.path).network
    assert autosaved.trained_learning_rates == [0.5, 0.25] and autosaved.seed == 4
    assert window.save_session_to(tmp_path / "trained.reluviz")

    other = MainWindow()
    qtbot.addWidget(other)
    reports: list[tuple[int, int]] = []
    other.report_replay_progress = lambda done, total: reports.append((done, total)) or True
    assert other.open_session(tmp_path / "trained.reluviz")
    net = other.network_doc
    assert (net.preset, net.seed, net.batch_size, net.learning_rate) == ("dead", 4, 60, 0.25)
    assert net.trained_learning_rates == (0.5, 0.25) and (net.sample, net.whole_batch) == (7, False)
    assert _weights(other) == _weights(window)
    assert net.pass_record.loss == doc.pass_record.loss
    assert reports == []  # two steps: too few to show progress
    assert not other.isWindowModified()
    assert not _network_tab_built(window) and not _network_tab_built(other)


def test_a_session_on_the_network_tab_opens_on_it(window, qtbot, tmp_path):
    window.tabs.setCurrentIndex(1)
    window.network_doc.train_step()
    assert window.current_session().current_view == "network"
    assert window.save_session_to(tmp_path / "on-network.reluviz")
    other = MainWindow()
    qtbot.addWidget(other)
    assert other.current_session().current_view == "arrays"
    assert other.open_session(tmp_path / "on-network.reluviz")
    assert _network_tab_built(other) and other.tabs.currentWidget() is other.network_view
    assert other.network_view.run.step == 1 and other.network_view.record is other.network_doc.pass_record


def test_cancelling_a_replay_with_the_tab_never_shown_changes_nothing(window, tmp_path):
    from reluviz.core.io.session import NetworkConfig, Session, save_session

    doc = window.network_doc
    doc.train_step()
    run, record = doc.run, doc.pass_record
    path = tmp_path / "long.reluviz"
    save_session(path, Session(network=NetworkConfig(preset="book", seed=1, trained_learning_rates=[1.0] * 150)))
    window.report_replay_progress = lambda done, total: done < 100  # Cancel pressed part-way
    assert not window.open_session(path)
    assert doc.preset == "default" and doc.trained_learning_rates == (0.5,)
    assert doc.run is run and doc.pass_record is record and "cancelled" in window.status_label.text()
    assert not _network_tab_built(window)


def test_a_network_export_works_with_the_tab_never_shown(window, qtbot, tmp_path):
    from reluviz.ui.export_dialog import ExportDialog

    doc = window.network_doc
    doc.restore("dead", 3, None, [0.5, 0.5], learning_rate=0.5, sample=9, whole_batch=False)
    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    dialog.set_kind("frame")
    dialog.caption_check.setChecked(False)
    dialog.size_combo.setCurrentIndex(dialog.size_combo.findData("1280x720"))
    dialog.path_edit.setText(str(tmp_path / "frame.png"))
    with qtbot.waitSignal(dialog.export_finished, timeout=60_000) as blocker:
        assert dialog.start_export() is not None
    written = QImage(blocker.args[0]).convertToFormat(QImage.Format.Format_ARGB32)
    # The document's network, trained and on its sample: the first frame of its last pass, at rest.
    scene = build_timeline(doc.pass_record, doc.shown_sample).frames[0].scene
    expected = export.figure_image(network_figure(scene, 1280, 720, 1.0, None,
                                                         colormap=window.arrays_doc.colormap,
                                                         theme=window.arrays_view.theme))
    assert written == expected.convertToFormat(QImage.Format.Format_ARGB32)
    assert window.tabs.currentWidget() is window.arrays_view  # never shown
    assert window._network_view is None  # the document's frame, not a view built for it


def test_exporting_the_arrays_through_the_dialog_does_not_build_the_network_view(window, qtbot, tmp_path):
    """Ctrl+E on the Arrays tab, a PNG of the four panels: the Network view (and pyqtgraph's
    ~1 s start) is never paid for; a network kind chosen afterwards still exports the document's
    network, its step card from the document too."""
    from reluviz.ui.export_dialog import ExportDialog

    dialog = ExportDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.kind == "arrays" and window._network_view is None
    dialog.size_combo.setCurrentIndex(dialog.size_combo.findData("1280x720"))
    dialog.path_edit.setText(str(tmp_path / "arrays.png"))
    with qtbot.waitSignal(dialog.export_finished, timeout=60_000) as blocker:
        assert dialog.start_export() is not None
    assert QImage(blocker.args[0]).width() == 1280
    assert window._network_view is None and not _network_tab_built(window)

    doc = window.network_doc
    other = ExportDialog(window)
    qtbot.addWidget(other)
    other.set_kind("frame")
    first = build_timeline(doc.pass_record, doc.shown_sample).frames[0]
    assert other.caption_edit.text() == first.text
    assert window._network_view is None


def test_a_tab_built_on_a_trained_network_lays_out_as_one_trained_on_screen(qtbot):
    """Built on a trained network (a session opened before the tab was shown), the side panel lays
    out as when the Train step is taken on screen: the Open-in-arrays buttons keep their height."""
    heights = []
    for trained_before in (False, True):
        win = MainWindow()
        qtbot.addWidget(win)
        if not win.presentation_action.isChecked():  # (a setting: the first window's choice is remembered)
            win.presentation_action.trigger()
        win.resize(1920, 1080)
        if trained_before:
            win.network_doc.train_step()
        win.show()
        qtbot.waitExposed(win)
        win.tabs.setCurrentIndex(1)
        view = win.network_view
        if not trained_before:
            qtbot.waitUntil(view.canvas.isVisible)
            win.network_doc.train_step()
        view.pause()
        qtbot.waitUntil(lambda v=view: v.loss_stack.currentWidget() is v.loss_plot and v.loss_plot.isVisible())
        heights.append((view.loss_plot.height(), view._side.height(), view._side_scroll.viewport().height()))
        win.undo_stack.setClean()
        win._saved_settings = win._settings_snapshot()
        win.close()
    assert heights[0] == heights[1]
    assert heights[1][1] == heights[1][2]  # the side panel fits: no scrolling


def test_copy_image_of_the_arrays_tab_does_not_build_the_network_view(window):
    """Ctrl+Shift+C on the Arrays tab copies the four panels; the Network view stays unbuilt."""
    from PySide6.QtGui import QAction, QGuiApplication

    window.findChild(QAction, "copy_image").trigger()
    assert not _network_tab_built(window)
    copied = QGuiApplication.clipboard().image()
    assert (copied.width(), copied.height()) == (1920, 1080)
