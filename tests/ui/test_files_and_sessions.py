"""Files, sessions, clipboard, drag-and-drop and undo through the real main window."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication

from reluviz.core import relu_backward
from reluviz.core.io.session import Session, save_session
from reluviz.ui.main_window import MainWindow
from reluviz.ui.settings import read_setting

from .helpers import click_cell

DATA = Path(__file__).resolve().parent.parent / "data"


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def consistent(win: MainWindow) -> bool:
    m = win.model
    return same(m.drelu, relu_backward(m.z, m.dvalues, m.inclusive))


def test_open_npy_and_csv_into_z_and_dvalues(window, tmp_path):
    z = np.array([[1, -2, 0], [3, -4, 5]], dtype=np.int32)
    np.save(tmp_path / "z.npy", z)
    window.arrays_view.confirm_reshape = lambda question: "0"  # another shape asks first
    assert window.open_array("z", tmp_path / "z.npy")
    assert same(window.model.z, z) and window.model.dvalues.shape == (2, 3)
    assert "int32" in window.arrays_view.panel_data("z").values.dtype.name
    (tmp_path / "d.csv").write_text("1.5,2,3\n4,5,nan\n", encoding="utf-8")
    assert window.open_array("dvalues", tmp_path / "d.csv")
    assert np.isnan(window.model.dvalues[1, 2]) and consistent(window)
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert window.model.shape == (3, 4)


def _write_npy_declaring(path: Path, shape: tuple[int, ...]) -> None:
    header = f"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}".encode()
    header += b" " * (63 - len(header) % 64) + b"\n"
    path.write_bytes(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + b"\0" * 16)


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda p: p.write_bytes(pickle.dumps({"a": 1})), "npy"),
        (lambda p: np.save(p, np.array([{"x": 1}], dtype=object), allow_pickle=True), "object"),
        (lambda p: _write_npy_declaring(p, (1_000_000, 1_000_000)), "4096×4096"),
        (lambda p: p.write_bytes(np.lib.format.magic(1, 0)), "npy"),
    ],
    ids=["pickle", "object-array", "huge-declared-shape", "truncated"],
)
def test_bad_npy_files_are_refused_and_nothing_changes(window, tmp_path, make, fragment):
    path = tmp_path / "bad.npy"
    make(path)
    before = window.model.z.tobytes()
    assert not window.open_array("z", path)
    assert window.model.z.tobytes() == before and window.undo_stack.count() == 0
    assert fragment in window.status_label.text()


def test_ragged_csv_is_refused_with_the_row(window, tmp_path):
    (tmp_path / "r.csv").write_text("1,2,3\n4,5\n", encoding="utf-8")
    assert not window.open_array("z", tmp_path / "r.csv")
    assert "row 2" in window.status_label.text()


def test_session_round_trip_keeps_arrays_and_settings(window, tmp_path):
    view = window.arrays_view
    view.load_preset("exact-zeros")
    view.commit_text("z", 0, 2, "nan")
    view.commit_text("dvalues", 0, 0, "-inf")
    view.set_inclusive(False)
    view.colormap_combo.setCurrentIndex(view.colormap_combo.findData("purple-orange"))
    view.colormap_combo.activated.emit(view.colormap_combo.currentIndex())
    view.precision_spin.setValue(5)
    assert window.isWindowModified()
    path = tmp_path / "lesson"
    assert window.save_session_to(path)
    saved = tmp_path / "lesson.reluviz"
    assert saved.exists() and not window.isWindowModified()
    assert "lesson.reluviz" in window.windowTitle()
    z, dvalues = window.model.z.copy(), window.model.dvalues.copy()

    other = MainWindow()
    try:
        assert other.open_session(saved)
        assert same(other.model.z, z) and same(other.model.dvalues, dvalues)
        assert not other.model.inclusive and other.arrays_doc.colormap == "purple-orange"
        assert other.arrays_doc.precision == 5 and consistent(other)
        assert other.undo_stack.count() == 0 and not other.isWindowModified()
        assert read_setting("recent_files")[0] == str(saved)
    finally:
        other.close()
        other.deleteLater()


def test_golden_sessions_open(window):
    for path in sorted(DATA.glob("*.reluviz")):
        assert window.open_session(path), (path, window.status_label.text())
        assert consistent(window)


def test_session_from_the_future_is_refused_politely(window, tmp_path):
    import json
    import zipfile

    path = tmp_path / "future.reluviz"
    save_session(path, Session())
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    meta = json.loads(members["session.json"])
    meta["version"] = 99
    members["session.json"] = json.dumps(meta).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    before = window.model.z.tobytes()
    assert not window.open_session(path)
    assert "newer" in window.status_label.text() and window.model.z.tobytes() == before


def test_failed_save_leaves_the_old_file_byte_identical(window, tmp_path, monkeypatch):
    path = tmp_path / "keep.reluviz"
    assert window.save_session_to(path)
    original = path.read_bytes()
    window.arrays_view.commit_text("z", 0, 0, "42")

    def broken_write(*args, **kwargs):
        raise OSError(28, "No space left on device")

    import reluviz.core.io.array_files as array_io

    monkeypatch.setattr(array_io.os, "replace", broken_write)
    assert not window.save_session_to(path)
    assert path.read_bytes() == original
    assert "Not saved" in window.status_label.text() and window.isWindowModified()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.reluviz"]


def test_saving_into_a_missing_folder_says_so(window, tmp_path):
    assert not window.save_session_to(tmp_path / "no" / "such" / "folder" / "s.reluviz")
    assert "Not saved" in window.status_label.text()


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window(window, qtbot):
    asked = []
    window.ask_save_changes = lambda: asked.append(True) or "cancel"
    window.arrays_view.commit_text("z", 0, 0, "3")
    window.close()
    assert asked and window.isVisible()
    window.ask_save_changes = lambda: "discard"
    window.close()
    assert not window.isVisible()


def test_copy_and_paste_through_the_clipboard_with_keys(window, qtbot):
    view = window.arrays_view
    panel = view.panels["z"]
    click_cell(qtbot, panel, 0, 0)
    click_cell(qtbot, panel, 1, 1, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_block() == (0, 2, 0, 2)
    qtbot.keyClick(panel, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "1.0\t2.0\n2.0\t-7.0\n"
    QGuiApplication.clipboard().setText("-1\t-2\t-3\n4\t5\t6\n")
    click_cell(qtbot, panel, 0, 1)
    qtbot.keyClick(panel, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.model.z[:2, 1:].tolist() == [[-1, -2, -3], [4, 5, 6]]
    assert consistent(window) and window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert window.model.z[0].tolist() == [1, 2, -3, -4] and consistent(window)


def test_paste_that_does_not_fit_is_refused_or_resizes_when_accepted(window, qtbot):
    view = window.arrays_view
    view.confirm_resize = lambda question: False
    view.select("z", 2, 3)
    assert not view.paste_text("1 2\n3 4\n")
    assert window.model.shape == (3, 4) and "does not fit" in window.status_label.text()
    view.confirm_resize = lambda question: "Resize both arrays to 4×5" in question
    assert view.paste_text("1 2\n3 4\n")
    assert window.model.shape == (4, 5) and window.model.z[3, 4] == 4 and consistent(window)
    window.undo_stack.undo()
    assert window.model.shape == (3, 4)


def test_paste_numpy_repr_as_whole_array_and_bad_paste_changes_nothing(window):
    view = window.arrays_view
    view.confirm_reshape = lambda question: "0"  # another shape asks first
    assert view.paste_text("array([[1., -2.], [0., nan]])", whole_array=True)
    assert window.model.shape == (2, 2) and window.model.drelu[0, 1] == 0 and consistent(window)
    before = window.model.z.tobytes()
    for text in ("[[1, 2], [3]]", "__import__('os')", "1,5;abc", ""):
        assert not view.paste_text(text)
        assert window.model.z.tobytes() == before
    assert "Paste refused" in window.status_label.text()


def test_paste_into_an_int_array_refuses_fractions(window):
    view = window.arrays_view
    view.replace_arrays(np.zeros((2, 2), np.int16), np.ones((2, 2), np.int16), "ints", refit=True)
    assert not view.paste_text("1.5")
    assert "not a whole number" in window.status_label.text()
    assert not view.paste_text("40000")
    assert "does not fit in int16" in window.status_label.text()
    assert view.paste_text("7")
    assert window.model.z[0, 0] == 7 and window.model.z.dtype == np.int16


def test_int64_paste_is_exact_or_refused_never_wrapped(window):
    view = window.arrays_view
    view.replace_arrays(np.zeros((1, 2), np.int64), np.zeros((1, 2), np.int64), "ints", refit=True)
    assert not view.paste_text("9223372036854775807")
    assert "2**53" in window.status_label.text() and window.model.z[0, 0] == 0
    assert view.paste_text("array([[9007199254740993, -5]], dtype=int64)")
    assert window.model.z[0].tolist() == [9007199254740993, -5]


def test_fill_and_negate_on_int_arrays(window):
    view = window.arrays_view
    view.replace_arrays(np.array([[3, 4]], np.uint8), np.array([[1, 1]], np.uint8), "uints", refit=True)
    view.fill("z", "1e1")
    assert window.model.z.tolist() == [[10, 10]]
    view.negate("z")
    assert window.model.z.tolist() == [[10, 10]] and "no negative" in window.status_label.text()
    view.fill("z", "2.5")
    assert "whole number" in window.status_label.text() and window.model.z.tolist() == [[10, 10]]


def test_dropping_a_file_on_a_panel_opens_it_there(window, tmp_path, qtbot):
    path = tmp_path / "drop.npy"
    np.save(path, np.full((2, 2), -1.0))
    window.arrays_view.confirm_reshape = lambda question: "0"  # another shape asks first
    panel = window.arrays_view.panels["dvalues"]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    centre = panel.rect().center()
    enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(centre), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    panel.dropEvent(drop)  # Qt delivers a Drop only inside a real drag session; call the handler
    assert same(window.model.dvalues, np.full((2, 2), -1.0)) and consistent(window)


def test_undo_memory_cap_drops_the_oldest_steps_and_says_so(window):
    window.set_undo_cap_mb(16)
    view = window.arrays_view
    for seed in range(4):
        view.resize_arrays(1024, 1024) if seed == 0 else view.randomize(seed)
    assert window.undo_guard.released_count > 0
    assert window.undo_guard.held_bytes() <= 16 * 2**20 + 2 * 1024 * 1024 * 8
    while window.undo_action.isEnabled():
        window.undo_action.trigger()
    window.undo()
    assert "dropped" in window.status_label.text()
    assert consistent(window)


def test_preferences_persist_between_windows(window, qtbot):
    window.dark_action.trigger()
    assert read_setting("theme") == "dark"
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.dark_action.isChecked() and second.arrays_view.theme.name == "dark"


def test_error_dialog_shows_details_and_keeps_the_arrays(window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from reluviz.ui import app

    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append((box.text(), box.detailedText())) or 0)
    before = window.model.z.tobytes()
    try:
        raise ZeroDivisionError("a bug")
    except ZeroDivisionError as error:
        app.show_error_dialog(type(error), error, error.__traceback__)
    assert "ZeroDivisionError: a bug" in shown[0][0] and "Traceback" in shown[0][1]
    assert window.model.z.tobytes() == before


def test_dropping_an_unknown_file_type_says_what_is_accepted(window, tmp_path):
    path = tmp_path / "notes.docx"
    path.write_text("x", encoding="utf-8")
    window.arrays_view.file_dropped.emit("z", str(path))
    assert "drop a .npy" in window.status_label.text()


def test_settings_changes_count_as_unsaved_and_save_as_adds_the_suffix(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    assert not window.isWindowModified()
    window.arrays_doc.set_colormap("cool-warm")
    assert window.isWindowModified() and window.has_unsaved_changes()
    existing = tmp_path / "talk.reluviz"
    existing.write_bytes(b"old")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "talk"), ""))
    asked = []
    window.confirm_overwrite = lambda path: asked.append(path) or False
    assert not window.save_session_as_dialog()
    assert asked == [existing] and existing.read_bytes() == b"old"
    window.confirm_overwrite = lambda path: True
    assert window.save_session_as_dialog()
    assert existing.read_bytes() != b"old" and not window.isWindowModified()


def test_open_relu_in_arrays_lands_on_the_followed_sample(window, qtbot):
    network = window.network_view
    sample = network.sample_spin.value()
    network.open_in_arrays(0)
    assert window.tabs.currentWidget() is window.arrays_view
    assert window.arrays_view.selection == (sample, 0)


def test_a_session_keeps_the_trained_network_and_the_followed_sample(window, tmp_path):
    network = window.network_view
    network.set_preset("dead")
    network.train_step()
    network.lr_spin.setValue(0.25)
    network.train_step()
    network.pause()
    network.set_sample(7)
    assert window.isWindowModified()  # network changes are unsaved changes too
    loss = network.run.loss_history[-1]
    weights = network.run.network.dense_layers[0].weights.copy()
    assert window.save_session_to(tmp_path / "trained.reluviz")

    other = MainWindow()
    try:
        assert other.open_session(tmp_path / "trained.reluviz")
        net = other.network_view
        assert net.preset_combo.currentData() == "dead" and net.run.step == 2
        assert len(net.run.trained_learning_rates) == 2 and net.run.trained_learning_rates[1] == 0.25
        assert net.run.loss_history[-1] == loss
        assert net.run.network.dense_layers[0].weights.tobytes() == weights.tobytes()
        assert net.sample_spin.value() == 7 and not net.whole_batch_check.isChecked()
        assert not other.isWindowModified()
    finally:
        other.undo_stack.setClean()
        other.close()
        other.deleteLater()


def test_a_session_saves_the_network_as_shown_not_unapplied_boxes(window, tmp_path):
    network = window.network_view
    network.train_step()
    network.pause()
    weights = network.run.network.dense_layers[0].weights.copy()
    network.seed_spin.setValue(5)  # changed but not applied: no Reset pressed
    assert window.save_session_to(tmp_path / "shown.reluviz")
    other = MainWindow()
    try:
        assert other.open_session(tmp_path / "shown.reluviz")
        assert other.network_view.run.network.dense_layers[0].weights.tobytes() == weights.tobytes()
    finally:
        other.close()
        other.deleteLater()


def _trained_session(tmp_path: Path, steps: int) -> Path:
    from reluviz.core.io.session import NetworkConfig, Session

    config = NetworkConfig(preset="default", seed=3, batch_size=None, trained_learning_rates=[0.5, 1.0] * (steps // 2))
    path = tmp_path / f"trained{steps}.reluviz"
    save_session(path, Session(z=np.full((2, 2), -1.0), dvalues=np.ones((2, 2)), network=config))
    return path


def test_a_long_training_replays_with_progress_and_the_same_weights(window, tmp_path):
    from reluviz.core.network import NetworkRun

    path = _trained_session(tmp_path, 240)
    reports: list[tuple[int, int]] = []
    window.report_replay_progress = lambda done, total: reports.append((done, total)) or True
    assert window.open_session(path)
    assert reports and reports[-1] == (240, 240) and len(reports) >= 240 // 50
    assert [done for done, _ in reports] == sorted(done for done, _ in reports)
    reference = NetworkRun("default", seed=3, batch_size=0)
    for rate in [0.5, 1.0] * 120:
        reference.learning_rate = rate
        reference.train_step()
    shown = window.network_view.run
    assert shown.step == 240
    for mine, theirs in zip(shown.network.dense_layers, reference.network.dense_layers, strict=True):
        assert same(mine.weights, theirs.weights) and same(mine.biases, theirs.biases)
    assert len(window.network_view.loss_curve.getData()[0]) == 240


def test_cancelling_a_replay_opens_nothing_and_changes_nothing(window, tmp_path):
    path = _trained_session(tmp_path, 240)
    window.network_view.train_button.click()
    window.network_view.pause()
    z_before, run_before = window.model.z.copy(), window.network_view.run
    window.report_replay_progress = lambda done, total: done < 100  # Cancel pressed part-way
    assert not window.open_session(path)
    assert same(window.model.z, z_before) and window.network_view.run is run_before
    assert window.session_path is None and "cancelled" in window.status_label.text()


def _tab_text(win: MainWindow) -> str:
    return win.tabs.tabText(win.tabs.currentIndex())


def test_a_session_saved_on_the_code_tab_opens_on_it(window, tmp_path, qtbot):
    window.tabs.setCurrentWidget(window.code_view)
    assert window.save_session_to(tmp_path / "code.reluviz")
    other = MainWindow()
    qtbot.addWidget(other)
    assert _tab_text(other) == "Arrays"
    assert other.open_session(tmp_path / "code.reluviz")
    assert _tab_text(other) == "Code"


def test_a_session_with_an_unknown_colormap_opens_and_says_which_was_kept(window, tmp_path):
    import json
    import zipfile

    saved = tmp_path / "s.reluviz"
    assert window.save_session_to(saved)
    edited = tmp_path / "edited.reluviz"
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(edited, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "session.json":
                settings = json.loads(data)
                settings["colormap"] = "nope"
                data = json.dumps(settings).encode("utf-8")
            target.writestr(member, data)
    kept = window.arrays_doc.colormap
    assert window.open_session(edited)
    status = window.status_label.text()
    assert "Opened edited.reluviz" in status and f"Unknown colormap 'nope' in the session; kept '{kept}'" in status
    assert window.arrays_doc.colormap == kept


def test_the_code_tab_does_not_keep_the_network_tabs_status(window):
    window.tabs.setCurrentWidget(window.network_view)
    network_status = window.status_label.text()
    assert network_status
    window.tabs.setCurrentWidget(window.code_view)
    assert window.status_label.text() == window.code_view.STATUS_HINT != network_status
