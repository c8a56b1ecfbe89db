"""File → Export…: choose what to export, its size, theme and caption; write it off the UI thread.

Pictures are rendered in the UI thread (tens of milliseconds, and the arrays may change right
after); encoding and writing — the slow part of a 4K PNG — and whole animations (the timeline is
immutable, and Qt allows painting QImages in any thread) run in a worker. A non-modal progress
dialog with Cancel follows the worker, so the main window stays live.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from reluviz.core.limits import InputError
from reluviz.render import figures as export
from reluviz.render.theme import LIGHT
from reluviz.ui.settings import read_setting, write_setting

__all__ = ["ExportDialog", "ExportJob"]

# (key, label, default file ending, accepted endings)
KINDS = (
    ("arrays", "Arrays: the four panels", ".png", export.IMAGE_SUFFIXES),
    ("panel", "Arrays: one panel", ".png", export.IMAGE_SUFFIXES),
    ("frame", "Network: the frame on screen", ".png", export.IMAGE_SUFFIXES),
    ("animation", "Network: forward + backward animation", ".gif", (*export.ANIMATION_SUFFIXES, "")),
)
_FILTERS = {
    ".png": "PNG image (*.png)",
    ".svg": "SVG vector image (*.svg)",
    ".pdf": "PDF document (*.pdf)",
    ".gif": "GIF animation (*.gif)",
    ".webp": "Animated WebP (*.webp)",
    ".mp4": "MP4 video (*.mp4)",
}
_WINDOW_SIZE = "window"
_executor: ThreadPoolExecutor | None = None
_running: set[ExportJob] = set()


def _pool() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reluviz-export")
    return _executor


class ExportJob(QObject):
    """One export running in the worker thread, followed by a progress dialog with Cancel.

    Signals
    -------
    finished(str)
        The path written.
    failed(str)
        A one-sentence reason (also for a cancel: "Export cancelled.").
    """

    finished = Signal(str)
    failed = Signal(str)

    def __init__(self, work: Callable[[export.Progress], Path], label: str, parent: QWidget) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._done, self._total = 0, 1
        self.result: str | None = None
        self.error: str | None = None
        self.progress_dialog = QProgressDialog(label, "Cancel", 0, 100, parent)
        self.progress_dialog.setWindowTitle("Exporting")
        self.progress_dialog.setWindowModality(Qt.WindowModality.NonModal)
        self.progress_dialog.setMinimumDuration(300)
        self.progress_dialog.setAutoClose(False)
        self.progress_dialog.setAutoReset(False)
        self.progress_dialog.canceled.connect(self.cancel)
        self.progress_dialog.setValue(0)
        self._timer = QTimer(self)
        self._timer.setInterval(40)
        self._timer.timeout.connect(self._update_progress)
        _running.add(self)
        self._future: Future = _pool().submit(work, self._report)
        self._timer.start()

    @property
    def done(self) -> bool:
        """True once the worker has stopped (written, failed or cancelled)."""
        return self._future.done()

    def cancel(self) -> None:
        """Ask the worker to stop; the file is left as it was."""
        self._cancel.set()

    def _report(self, done: int, total: int) -> bool:  # worker thread: only plain attributes
        self._done, self._total = done, max(total, 1)
        return not self._cancel.is_set()

    def _update_progress(self) -> None:
        if not self._future.done():
            self.progress_dialog.setValue(min(99, round(100 * self._done / self._total)))
            return
        self._timer.stop()
        self.progress_dialog.canceled.disconnect(self.cancel)
        self.progress_dialog.close()
        self.progress_dialog.deleteLater()
        _running.discard(self)
        error = self._future.exception()
        if error is None:
            self.result = str(self._future.result())
            self.finished.emit(self.result)
        elif isinstance(error, export.ExportCancelledError):
            self.error = "Export cancelled; nothing was written."
            self.failed.emit(self.error)
        elif isinstance(error, (InputError, OSError)):
            self.error = str(error)
            self.failed.emit(self.error)
        else:
            self.error = f"Export failed: {type(error).__name__}: {error}"
            self.failed.emit(self.error)
            raise error


class ExportDialog(QDialog):
    """Export the arrays or the network for a slide.

    Parameters
    ----------
    main_window : MainWindow
        Read for ``arrays_view`` (panels, theme, zoom) and ``network_view`` (frame, timeline).
    """

    export_finished = Signal(str)
    export_failed = Signal(str)

    def __init__(self, main_window) -> None:
        super().__init__(main_window)
        self.setWindowTitle("Export for slides")
        self.setMinimumWidth(620)
        self.main_window = main_window
        self.arrays_view = main_window.arrays_view
        self.network_view = getattr(main_window, "network_view", None)
        self.job: ExportJob | None = None

        self.kind_combo = QComboBox(objectName="export_kind")
        for key, label, _, _ in KINDS:
            self.kind_combo.addItem(label, key)
        if self.network_view is None:
            for index in (2, 3):
                self.kind_combo.model().item(index).setEnabled(False)
        self.panel_combo = QComboBox(objectName="export_panel")
        for role in export.ROLES:
            self.panel_combo.addItem(role, role)
        self.panel_combo.setCurrentIndex(export.ROLES.index("drelu"))

        self.size_combo = QComboBox(objectName="export_size")
        for label, (width, height) in export.SIZE_PRESETS.items():
            self.size_combo.addItem(label, f"{width}x{height}")
        self.size_combo.addItem("Window size × scale", _WINDOW_SIZE)
        self.scale_spin = QDoubleSpinBox(objectName="export_scale")
        self.scale_spin.setRange(0.5, 6.0)
        self.scale_spin.setSingleStep(0.5)
        self.scale_spin.setValue(2.0)
        self.scale_spin.setSuffix(" ×")
        self.size_label = QLabel()

        self.theme_combo = QComboBox(objectName="export_theme")
        self.theme_combo.addItem("Light (for slides)", "light")
        self.theme_combo.addItem("As on screen", "current")
        self.transparent_check = QCheckBox("Transparent background (PNG, SVG, PDF)")
        self.caption_check = QCheckBox("Caption")
        self.caption_edit = QLineEdit(export.code_caption(self.arrays_view.model.operator))
        self.caption_edit.setCursorPosition(0)
        self._arrays_caption = self.caption_edit.text()  # kept while a network kind shows its own
        self.fps_spin = QSpinBox(objectName="export_fps")
        self.fps_spin.setRange(1, 60)
        self.fps_spin.setValue(12)
        self.fps_spin.setSuffix(" fps")

        self.path_edit = QLineEdit(objectName="export_path")
        # Start where the last export went, under a name that does not overwrite anything there.
        folder = Path(read_setting("export_folder") or Path.home())
        self.path_edit.setText(str(_unused_name(folder if folder.is_dir() else Path.home(), "reluviz", ".png")))
        browse = QPushButton("Choose…")
        browse.clicked.connect(self.choose_path)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        size_row = QHBoxLayout()
        size_row.addWidget(self.size_combo, 1)
        size_row.addWidget(self.scale_spin)
        caption_row = QHBoxLayout()
        caption_row.addWidget(self.caption_check)
        caption_row.addWidget(self.caption_edit, 1)

        form = QFormLayout()
        form.addRow("Export", self.kind_combo)
        form.addRow("Panel", self.panel_combo)
        form.addRow("Size", size_row)
        form.addRow("", self.size_label)
        form.addRow("Theme", self.theme_combo)
        form.addRow("", self.transparent_check)
        form.addRow("", caption_row)
        form.addRow("Frame rate", self.fps_spin)
        form.addRow("File", path_row)
        self.message_label = QLabel(objectName="export_message")
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #b00020")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)

        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.size_combo.currentIndexChanged.connect(self._update_controls)
        self.scale_spin.valueChanged.connect(self._update_controls)
        self.caption_check.toggled.connect(self._update_controls)
        if self.network_view is not None and main_window.tabs.currentWidget() is self.network_view:
            self.kind_combo.setCurrentIndex(2)
        self._on_kind_changed()

    # -- state -----------------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        """``"arrays"``, ``"panel"``, ``"frame"`` or ``"animation"``."""
        return self.kind_combo.currentData()

    def set_kind(self, key: str) -> None:
        """Choose what to export by key."""
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(key))

    def target_size(self) -> tuple[int, int]:
        """The output size in pixels for the current choices."""
        data = self.size_combo.currentData()
        if data != _WINDOW_SIZE:
            width, height = data.split("x")
            return int(width), int(height)
        network = self.kind in ("frame", "animation")
        source = getattr(self.network_view, "canvas", self.network_view) if network else self.arrays_view
        scale = self.scale_spin.value()
        width = min(max(round(source.width() * scale), export.MIN_SIDE), export.MAX_SIDE)
        height = min(max(round(source.height() * scale), export.MIN_SIDE), export.MAX_SIDE)
        return width, height

    def _on_kind_changed(self) -> None:
        key, _, default_suffix, accepted = KINDS[self.kind_combo.currentIndex()]
        path = Path(self.path_edit.text() or "reluviz")
        if path.suffix.lower() not in accepted:
            self.path_edit.setText(str(path.with_suffix(default_suffix)))
        if key == "animation" and self.size_combo.currentData() == "3840x2160":
            self.size_combo.setCurrentIndex(1)  # 4K animations are huge; start from 1280×720
        self._update_controls()

    def _update_controls(self) -> None:
        key = self.kind
        arrays = key in ("arrays", "panel")
        self.panel_combo.setEnabled(key == "panel")
        self.theme_combo.setEnabled(True)  # the network too: light for slides, or dark as on screen
        self.transparent_check.setEnabled(arrays)
        self.fps_spin.setEnabled(key == "animation")
        self.scale_spin.setEnabled(self.size_combo.currentData() == _WINDOW_SIZE)
        self.caption_check.setText("Caption" if arrays else "Step card under the network")
        # The arrays' caption is typed; the network's is the step card, shown here read-only.
        if arrays:
            if self.caption_edit.isReadOnly():
                self.caption_edit.setText(self._arrays_caption)
                self.caption_edit.setCursorPosition(0)
            self.caption_edit.setReadOnly(False)
            self.caption_edit.setEnabled(self.caption_check.isChecked())
        else:
            if not self.caption_edit.isReadOnly():
                self._arrays_caption = self.caption_edit.text()
            self.caption_edit.setReadOnly(True)
            self.caption_edit.setText(self._step_card_text(key))
            self.caption_edit.setCursorPosition(0)
            self.caption_edit.setEnabled(False)
        width, height = self.target_size()
        self.size_label.setText(f"{width} × {height} px")

    def _step_card_text(self, key: str) -> str:
        """What a network export writes under the picture when "Step card" is ticked."""
        if key == "animation":
            return "Each frame's step card"
        frame = getattr(self.network_view, "frame", None)
        return frame.text if frame is not None else ""

    def choose_path(self) -> None:
        """Pick the output file; its ending chooses the format."""
        _, _, default_suffix, accepted = KINDS[self.kind_combo.currentIndex()]
        filters = [_FILTERS[s] for s in accepted if s]
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path_edit.text(), ";;".join(filters))
        if path:
            if Path(path).suffix.lower() not in accepted:
                path = str(Path(path).with_suffix(default_suffix))
            self.path_edit.setText(path)

    # -- export ----------------------------------------------------------------------------------
    def start_export(self) -> ExportJob | None:
        """Render and start writing; close the dialog. Returns the job, or None if refused."""
        try:
            work, label = self._prepare()
        except InputError as error:
            self.message_label.setText(str(error))
            return None
        self.message_label.clear()
        write_setting("export_folder", str(Path(self.path_edit.text().strip()).expanduser().parent))
        window = self.main_window
        job = ExportJob(work, label, window)
        job.finished.connect(self._on_finished)
        job.failed.connect(self._on_failed)
        # The window, not this dialog, says what was written: File → Export… deletes the dialog
        # when it closes, long before a big export finishes (a dead slot used to say nothing).
        report = getattr(window, "on_export_finished", None)
        if report is not None:
            job.finished.connect(report)
        report_failure = getattr(window, "on_export_failed", None)
        if report_failure is not None:
            job.failed.connect(report_failure)
        self.job = job
        self.accept()
        return job

    def _prepare(self) -> tuple[Callable[[export.Progress], Path], str]:
        text = self.path_edit.text().strip()
        if not text:
            raise InputError("Choose a file to export to.")
        path = Path(text).expanduser()
        _, _, _, accepted = KINDS[self.kind_combo.currentIndex()]
        suffix = path.suffix.lower()
        if suffix not in accepted:
            endings = ", ".join(s or "a folder name (PNG frames)" for s in accepted)
            raise InputError(f"Cannot export this as '{path.name}': use {endings}.")
        if suffix == ".mp4" and not export.mp4_available():
            raise InputError("MP4 export needs the optional package imageio-ffmpeg (pip install imageio-ffmpeg); "
                             "GIF and WebP work without it.")
        folder = path if suffix == "" else path.parent
        if not (folder if suffix else folder.parent).is_dir():
            raise InputError(f"Cannot export to '{path}': the folder '{path.parent}' does not exist.")
        width, height = export.check_size(*self.target_size())
        key = self.kind
        if key == "animation":
            timeline, fps = self.network_view.timeline, float(self.fps_spin.value())
            step_cards = self.caption_check.isChecked()
            look = self._network_look()

            def animate(progress: export.Progress) -> Path:
                count, frames = export.network_frames(timeline, width, height, fps, caption=step_cards, **look)
                return export.write_animation(path, frames, count, fps, progress)

            return animate, f"Writing {path.name} ({width}×{height}, {fps:g} fps)…"
        figure = self._figure(key, width, height)
        if suffix == ".png":
            image = export.figure_image(figure)  # quick; the PNG encoding is the slow part

            def encode(progress: export.Progress) -> Path:
                progress(0, 1)
                return export.write_png(path, image)

            return encode, f"Writing {path.name} ({width}×{height})…"
        encoded = export.svg_bytes(figure) if suffix == ".svg" else export.pdf_bytes(figure)

        def write(progress: export.Progress) -> Path:
            progress(0, 1)
            from reluviz.core.array_io import write_atomically

            write_atomically(path, lambda file: file.write(encoded))
            return path

        return write, f"Writing {path.name}…"

    def _network_look(self) -> dict[str, object]:
        """The colormap and theme the exported network uses: the screen's, or the light slide style."""
        arrays = self.arrays_view
        screen = getattr(self.network_view, "theme", None) or arrays.theme
        theme = LIGHT if self.theme_combo.currentData() == "light" else screen
        return {"colormap": arrays.document.colormap, "theme": theme}

    def _figure(self, key: str, width: int, height: int) -> export.Figure:
        if key == "frame":
            view = self.network_view
            caption = view.frame.text if self.caption_check.isChecked() else None
            # A still: the pulses at rest where they arrive (progress 1), never frozen part-way.
            return export.network_figure(view.frame.scene, width, height, 1.0, caption,
                                         **self._network_look())
        view = self.arrays_view
        theme = LIGHT if self.theme_combo.currentData() == "light" else view.theme
        caption = self._arrays_caption if self.caption_edit.isReadOnly() else self.caption_edit.text()
        caption = caption.strip() if self.caption_check.isChecked() else None
        roles = export.ROLES if key == "arrays" else (self.panel_combo.currentData(),)
        return export.arrays_figure(export.panels_from_view(view), width, height, theme, view=view.view_state,
                                    caption=caption or None, roles=roles,
                                    transparent=self.transparent_check.isChecked())

    def _on_finished(self, path: str) -> None:
        self.export_finished.emit(path)

    def _on_failed(self, message: str) -> None:
        self.export_failed.emit(message)


def cancel_running_exports(wait_seconds: float = 5.0) -> None:
    """Cancel every export still running and wait (bounded) for their workers to stop.

    Called when the main window closes, so no export thread outlives the window or finishes
    writing a file the user can no longer see reported. Writes are atomic: a cancelled export
    leaves no partial file.
    """
    jobs = list(_running)
    for job in jobs:
        job.cancel()
    for job in jobs:
        try:
            job._future.result(timeout=wait_seconds)
        except Exception:
            pass
        _running.discard(job)


def _unused_name(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem.suffix``, or ``stem-2``, ``stem-3``, ... if that file already exists."""
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists() and number < 10_000:
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate
