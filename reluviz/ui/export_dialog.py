"""File → Export… and File → Copy image: what the window shows, handed to the render layer.

Pictures are rendered in the UI thread (tens of milliseconds, and the arrays may change right
after); encoding and writing — the slow part of a 4K PNG — and whole animations (the timeline is
immutable, and Qt allows painting QImages in any thread) run in a worker owned by the window
(:class:`~reluviz.ui.export_jobs.ExportRunner`, shut down when the window closes). A non-modal progress dialog with
Cancel follows the worker, so the main window stays live.

This is the one place that reads the window's views for an export: :mod:`reluviz.render` takes
panels, scenes and themes, never a widget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication, QImage
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
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from reluviz.core.io.limits import InputError
from reluviz.render import figures, writers
from reluviz.render.export_formats import (
    ANIMATION_SUFFIXES,
    IMAGE_SUFFIXES,
    MAX_EXPORT_PX,
    MIN_EXPORT_PX,
    MP4_UNAVAILABLE,
    SIZE_PRESETS,
)
from reluviz.render.figures import ROLES
from reluviz.render.heatmap import PanelData
from reluviz.render.network_figures import network_figure, network_frames
from reluviz.render.theme import LIGHT
from reluviz.ui.export_jobs import ExportJob, ExportRunner
from reluviz.ui.settings import read_setting, write_setting

if TYPE_CHECKING:
    from reluviz.core.network.frames import Frame, Timeline
    from reluviz.ui.network_view import NetworkView

__all__ = ["ExportDialog", "ExportJob", "ExportRunner", "cancel_running_exports", "copy_figure_to_clipboard",
           "panels_from_view", "window_figure"]

# (key, label, default file ending, accepted endings)
KINDS = (
    ("arrays", "Arrays: the four panels", ".png", IMAGE_SUFFIXES),
    ("panel", "Arrays: one panel", ".png", IMAGE_SUFFIXES),
    ("frame", "Network: the frame on screen", ".png", IMAGE_SUFFIXES),
    ("animation", "Network: forward + backward animation", ".gif", (*ANIMATION_SUFFIXES, "")),
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


class ExportDialog(QDialog):
    """Export the arrays or the network for a slide.

    Parameters
    ----------
    main_window : MainWindow
        Read for ``arrays_view`` (panels, theme, zoom) and, for a network export, the Network
        view's frame and timeline if it was built, else the ``network_doc``'s (what the view
        would show when first built): opening the dialog never builds the Network view.
    """

    export_finished = Signal(str)
    export_failed = Signal(str)

    def __init__(self, main_window) -> None:
        super().__init__(main_window)
        self.setWindowTitle("Export for slides")
        self.setMinimumWidth(620)
        self.main_window = main_window
        self.arrays_view = main_window.arrays_view
        self.has_network = getattr(main_window, "network_doc", None) is not None
        self._document_timeline: tuple[object, object, Timeline] | None = None  # (record, sample, timeline)
        self.job: ExportJob | None = None
        self._make_subject_controls()
        self._make_look_controls()
        self._make_path_edit()
        self._lay_out()
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.size_combo.currentIndexChanged.connect(self._update_controls)
        self.scale_spin.valueChanged.connect(self._update_controls)
        self.caption_check.toggled.connect(self._update_controls)
        if self.has_network and main_window.network_tab_is_current():
            self.kind_combo.setCurrentIndex(2)
        self._on_kind_changed()

    def _make_subject_controls(self) -> None:
        """What to export: the kind, the panel, the size."""
        self.kind_combo = QComboBox(objectName="export_kind")
        for key, label, _, _ in KINDS:
            self.kind_combo.addItem(label, key)
        if not self.has_network:
            for index in (2, 3):
                self.kind_combo.model().item(index).setEnabled(False)
        self.panel_combo = QComboBox(objectName="export_panel")
        for role in figures.ROLES:
            self.panel_combo.addItem(role, role)
        self.panel_combo.setCurrentIndex(figures.ROLES.index("drelu"))

        self.size_combo = QComboBox(objectName="export_size")
        for label, (width, height) in SIZE_PRESETS.items():
            self.size_combo.addItem(label, f"{width}x{height}")
        self.size_combo.addItem("Window size × scale", _WINDOW_SIZE)
        self.scale_spin = QDoubleSpinBox(objectName="export_scale")
        self.scale_spin.setRange(0.5, 6.0)
        self.scale_spin.setSingleStep(0.5)
        self.scale_spin.setValue(2.0)
        self.scale_spin.setSuffix(" ×")
        self.size_label = QLabel()

    def _make_look_controls(self) -> None:
        """How it looks: theme, transparency, caption, frame rate."""
        self.theme_combo = QComboBox(objectName="export_theme")
        self.theme_combo.addItem("Light (for slides)", "light")
        self.theme_combo.addItem("As on screen", "current")
        self.transparent_check = QCheckBox("Transparent background (PNG, SVG, PDF)")
        self.caption_check = QCheckBox("Caption")
        self.caption_edit = QLineEdit(figures.code_caption(self.arrays_view.document.inclusive))
        self.caption_edit.setCursorPosition(0)
        self._arrays_caption = self.caption_edit.text()  # kept while a network kind shows its own
        self.fps_spin = QSpinBox(objectName="export_fps")
        self.fps_spin.setRange(1, 60)
        self.fps_spin.setValue(12)
        self.fps_spin.setSuffix(" fps")

    def _make_path_edit(self) -> None:
        self.path_edit = QLineEdit(objectName="export_path")
        # Start where the last export went, under a name that does not overwrite anything there.
        folder = Path(read_setting("export_folder") or Path.home())
        self.path_edit.setText(str(_unused_name(folder if folder.is_dir() else Path.home(), "reluviz", ".png")))

    def _lay_out(self) -> None:
        """The form (one row per option), the message line and the buttons."""
        browse = QPushButton("Choose…")
        browse.clicked.connect(self.choose_path)
        form = QFormLayout()
        form.addRow("Export", self.kind_combo)
        form.addRow("Panel", self.panel_combo)
        form.addRow("Size", _row(self.size_combo, self.scale_spin, second_grows=False))
        form.addRow("", self.size_label)
        form.addRow("Theme", self.theme_combo)
        form.addRow("", self.transparent_check)
        form.addRow("", _row(self.caption_check, self.caption_edit, second_grows=True))
        form.addRow("Frame rate", self.fps_spin)
        form.addRow("File", _row(self.path_edit, browse, second_grows=False))
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
        # The network's window size is its canvas: asked only once a network kind is chosen.
        source = self.main_window.network_view.canvas if network else self.arrays_view
        scale = self.scale_spin.value()
        width = min(max(round(source.width() * scale), MIN_EXPORT_PX), MAX_EXPORT_PX)
        height = min(max(round(source.height() * scale), MIN_EXPORT_PX), MAX_EXPORT_PX)
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
        return self._network_frame().text

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

    def _prepare(self) -> tuple[Callable[[writers.Progress], Path], str]:
        text = self.path_edit.text().strip()
        if not text:
            raise InputError("Choose a file to export to.")
        path = Path(text).expanduser()
        _, _, _, accepted = KINDS[self.kind_combo.currentIndex()]
        suffix = path.suffix.lower()
        if suffix not in accepted:
            endings = ", ".join(s or "a folder name (PNG frames)" for s in accepted)
            raise InputError(f"Cannot export this as '{path.name}': use {endings}.")
        if suffix == ".mp4" and not writers.mp4_available():
            raise InputError(MP4_UNAVAILABLE)
        folder = path if suffix == "" else path.parent
        if not (folder if suffix else folder.parent).is_dir():
            raise InputError(f"Cannot export to '{path}': the folder '{path.parent}' does not exist.")
        width, height = figures.check_size(*self.target_size())
        key = self.kind
        if key == "animation":
            timeline, fps = self._network_timeline(), float(self.fps_spin.value())
            step_cards = self.caption_check.isChecked()
            look = self._network_look()

            def animate(progress: writers.Progress) -> Path:
                count, frames = network_frames(timeline, width, height, fps, caption=step_cards, **look)
                return writers.write_animation(path, frames, count, fps, progress)

            return animate, f"Writing {path.name} ({width}×{height}, {fps:g} fps)…"
        figure = self._figure(key, width, height)
        if suffix == ".png":
            image = figures.figure_image(figure)  # quick; the PNG encoding is the slow part

            def encode(progress: writers.Progress) -> Path:
                progress(0, 1)
                return writers.write_png(path, image)

            return encode, f"Writing {path.name} ({width}×{height})…"
        encoded = writers.svg_bytes(figure) if suffix == ".svg" else writers.pdf_bytes(figure)

        def write(progress: writers.Progress) -> Path:
            progress(0, 1)
            from reluviz.core.io.files import write_atomically

            write_atomically(path, lambda file: file.write(encoded))
            return path

        return write, f"Writing {path.name}…"

    def _network_look(self) -> dict[str, object]:
        """The colormap and theme the exported network uses: the screen's, or the light slide style."""
        arrays = self.arrays_view
        screen = getattr(self._built_network_view(), "theme", None) or arrays.theme
        theme = LIGHT if self.theme_combo.currentData() == "light" else screen
        return {"colormap": arrays.document.colormap, "theme": theme}

    def _built_network_view(self) -> NetworkView | None:
        """The window's Network view if it was ever built, else None (never builds it: ~1 s)."""
        return getattr(self.main_window, "_network_view", None)

    def _network_timeline(self) -> Timeline:
        """The timeline on the Network tab: the view's, or the one it would build from the document."""
        view = self._built_network_view()
        if view is not None:
            return view.timeline
        doc = self.main_window.network_doc
        record, sample = doc.pass_record, doc.shown_sample
        cached = self._document_timeline
        if cached is None or cached[0] is not record or cached[1] != sample:  # ~30 ms: not per click
            from reluviz.core.network.timeline import build_timeline

            self._document_timeline = (record, sample, build_timeline(record, sample))
        return self._document_timeline[2]

    def _network_frame(self) -> Frame:
        """The frame on the Network tab; a view not yet built would open on the first frame."""
        view = self._built_network_view()
        return view.frame if view is not None else self._network_timeline().frames[0]

    def _figure(self, key: str, width: int, height: int) -> figures.Figure:
        if key == "frame":
            frame = self._network_frame()
            caption = frame.text if self.caption_check.isChecked() else None
            # A still: the pulses at rest where they arrive (progress 1), never frozen part-way.
            return network_figure(frame.scene, width, height, 1.0, caption, **self._network_look())
        view = self.arrays_view
        theme = LIGHT if self.theme_combo.currentData() == "light" else view.theme
        caption = self._arrays_caption if self.caption_edit.isReadOnly() else self.caption_edit.text()
        caption = caption.strip() if self.caption_check.isChecked() else None
        roles = figures.ROLES if key == "arrays" else (self.panel_combo.currentData(),)
        return figures.arrays_figure(panels_from_view(view), width, height, theme, view=view.view_state,
                                    caption=caption or None, roles=roles,
                                    transparent=self.transparent_check.isChecked())

    def _on_finished(self, path: str) -> None:
        self.export_finished.emit(path)

    def _on_failed(self, message: str) -> None:
        self.export_failed.emit(message)


def cancel_running_exports(window: QObject, wait_seconds: float = 5.0) -> None:
    """Cancel every export ``window`` still runs, wait (bounded) for them, and end its export thread.

    Called when the main window closes, so no export thread outlives the window or finishes
    writing a file the user can no longer see reported. Writes are atomic: a cancelled export
    leaves no partial file.
    """
    runner = ExportRunner.find(window)
    if runner is not None:
        runner.shutdown(wait_seconds)


def panels_from_view(arrays_view) -> dict[str, PanelData]:
    """The panels exactly as ``arrays_view`` (an ``ArraysView``) paints them, without "editable"."""
    return {role: replace(arrays_view.panel_data(role), editable=False) for role in ROLES}


def window_figure(main_window, width: int, height: int) -> figures.Figure:
    """What ``main_window`` shows, as a figure of ``width`` × ``height`` pixels.

    The network view's current frame (pulses at rest) if that tab is showing, otherwise the four
    array panels with the screen's theme and zoom.
    """
    arrays = main_window.arrays_view
    if main_window.network_tab_is_current():  # asked first: the Network view is built only when shown
        network = main_window.network_view
        return network_figure(network.frame.scene, width, height, 1.0,  # a still: pulses at rest
                              colormap=arrays.document.colormap, theme=arrays.theme)
    return figures.arrays_figure(panels_from_view(arrays), width, height, arrays.theme,
                                 view=arrays.view_state)


def copy_figure_to_clipboard(main_window, width: int = 1920, height: int = 1080) -> QImage:
    """Put what the window shows on the clipboard as an image rendered at ``width`` × ``height``.

    Returns the image (File → Copy image, Ctrl+Shift+C).
    """
    image = figures.figure_image(window_figure(main_window, width, height))
    QGuiApplication.clipboard().setImage(image)
    return image


def _unused_name(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem.suffix``, or ``stem-2``, ``stem-3``, ... if that file already exists."""
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists() and number < 10_000:
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate


def _row(first: QWidget, second: QWidget, second_grows: bool) -> QHBoxLayout:
    """``first`` and ``second`` side by side; the spare width goes to ``second`` or to ``first``."""
    row = QHBoxLayout()
    row.addWidget(first, 0 if second_grows else 1)
    row.addWidget(second, 1 if second_grows else 0)
    return row
