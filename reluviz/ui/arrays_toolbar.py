"""The Arrays view's control row: preset, shape, seed, operator, colormap, precision, nudge step, Fit.

The controls wrap onto a second (third) row when the width runs out: a ``QToolBar`` here, outside
a main window's tool bar area, hid them behind an » button that opened nothing. Every control is
also in the main window's Arrays menu.

What the controls show follows the view's :class:`~reluviz.core.arrays_document.ArraysDocument`
(:meth:`ArraysToolbar.sync`, called by the view on the document's events); what the user sets goes
to the document (colormap, precision) or to the view, which makes it an undo step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFrame, QLabel, QPushButton, QSizePolicy, QSpinBox, QWidget

from reluviz.core.arrays_document import MAX_PRECISION, MIN_PRECISION
from reluviz.core.colour import COLORMAPS
from reluviz.core.explorer import MAX_SIDE
from reluviz.core.presets import PRESETS
from reluviz.ui.flow_layout import FlowLayout

if TYPE_CHECKING:
    from reluviz.ui.arrays_view import ArraysView

__all__ = ["ArraysToolbar"]


class ArraysToolbar(QWidget):
    """The controls above the four panels of ``view``.

    Parameters
    ----------
    view : ArraysView
        The view the controls drive (its document, its undoable actions).
    """

    def __init__(self, view: ArraysView) -> None:
        super().__init__(view)
        self.setObjectName("array_controls")
        self.view = view
        self.row = FlowLayout(self)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._add_arrays_controls()
        self._add_look_controls()
        self.sync()

    def _separator(self) -> QFrame:
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.VLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        return line

    def _add_arrays_controls(self) -> None:
        """Preset, shape, seed and Randomize, operator: what the arrays hold."""
        view, row = self.view, self.row
        self.preset_combo = QComboBox(objectName="preset_combo")
        self.preset_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.preset_combo.setMinimumContentsLength(14)
        self.preset_combo.addItem("(your arrays)", None)
        for preset in PRESETS.values():
            self.preset_combo.addItem(preset.label, preset.name)
            self.preset_combo.setItemData(self.preset_combo.count() - 1, preset.description,
                                          Qt.ItemDataRole.ToolTipRole)
        self.preset_combo.activated.connect(self._on_preset_activated)
        row.addWidget(QLabel("Preset"))
        row.addWidget(self.preset_combo)

        self.rows_spin = QSpinBox(objectName="rows_spin")
        self.cols_spin = QSpinBox(objectName="cols_spin")
        for spin in (self.rows_spin, self.cols_spin):
            # Up to 99999 can be typed so a too-large size gets a message instead of a silent clamp.
            spin.setRange(1, 99999)
            spin.setKeyboardTracking(False)
            spin.setToolTip(f"1 to {MAX_SIDE}")
            spin.editingFinished.connect(self._on_shape_edited)
        row.addWidget(self._separator())
        row.addWidget(QLabel("Shape"))
        row.addWidget(self.rows_spin)
        row.addWidget(QLabel("×"))
        row.addWidget(self.cols_spin)

        self.seed_spin = QSpinBox(objectName="seed_spin")
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setPrefix("seed ")
        randomize = QPushButton("Randomize", objectName="randomize_button")
        randomize.clicked.connect(view.randomize_new)
        self.seed_spin.editingFinished.connect(self._on_seed_edited)
        row.addWidget(self._separator())
        row.addWidget(self.seed_spin)
        row.addWidget(randomize)

        self.inclusive_combo = QComboBox(objectName="inclusive_combo")
        self.inclusive_combo.addItem("mask = z <= 0  (book)", True)
        self.inclusive_combo.addItem("mask = z < 0", False)
        self.inclusive_combo.setToolTip("Ctrl+< toggles: see what happens at exactly 0")
        self.inclusive_combo.activated.connect(
            lambda index: view.set_inclusive(bool(self.inclusive_combo.itemData(index))))
        row.addWidget(self._separator())
        row.addWidget(self.inclusive_combo)

    def _add_look_controls(self) -> None:
        """Colormap, precision, nudge step and Fit: how the arrays are shown and nudged."""
        view, row = self.view, self.row
        self.colormap_combo = QComboBox(objectName="colormap_combo")
        self.colormap_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.colormap_combo.setMinimumContentsLength(10)
        for cmap in COLORMAPS.values():
            self.colormap_combo.addItem(cmap.label, cmap.name)
        self.colormap_combo.activated.connect(
            lambda index: view.document.set_colormap(self.colormap_combo.itemData(index)))
        row.addWidget(self.colormap_combo)

        self.precision_spin = QSpinBox(objectName="precision_spin")
        self.precision_spin.setRange(MIN_PRECISION, MAX_PRECISION)
        self.precision_spin.setSuffix(" digits")
        self.precision_spin.valueChanged.connect(view.document.set_precision)
        row.addWidget(self.precision_spin)

        self.step_spin = QDoubleSpinBox(objectName="nudge_step_spin")
        self.step_spin.setDecimals(4)
        self.step_spin.setRange(0.0001, 1000.0)
        self.step_spin.setValue(view.nudge_step)
        self.step_spin.setPrefix("±")
        self.step_spin.setToolTip("Ctrl+wheel or Ctrl+drag on a cell changes it by this step")
        self.step_spin.valueChanged.connect(self._on_step_changed)
        row.addWidget(self.step_spin)

        fit_button = QPushButton("Fit", objectName="fit_button")
        fit_button.setToolTip("Show the whole array and fit the colour ranges (F)")
        fit_button.clicked.connect(view.fit)
        # Styles pad a button to 80 px: too wide for "Fit" on one 1280-px row with the rest.
        fit_button.setMaximumWidth(fit_button.fontMetrics().horizontalAdvance("Fit") * 2 + 20)
        row.addWidget(fit_button)

    def sync(self) -> None:
        """Show the document's shape, operator, colormap and precision (without writing them back)."""
        document = self.view.document
        rows, cols = document.shape
        for spin, value in ((self.rows_spin, rows), (self.cols_spin, cols), (self.precision_spin, document.precision)):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)
        # (A combo's "activated" is the user's alone: setting its index here writes nothing.)
        self.inclusive_combo.setCurrentIndex(0 if document.inclusive else 1)
        self.colormap_combo.setCurrentIndex(self.colormap_combo.findData(document.colormap))

    def show_preset(self, name: str | None) -> None:
        """Name the preset the arrays are (``None``: "(your arrays)")."""
        self.preset_combo.setCurrentIndex(0 if name is None else self.preset_combo.findData(name))

    def show_seed(self, seed: int) -> None:
        """Show the seed the arrays were drawn with, without drawing again."""
        self.seed_spin.blockSignals(True)
        self.seed_spin.setValue(seed)
        self.seed_spin.blockSignals(False)

    # -- what the user sets --------------------------------------------------------------------
    def _on_preset_activated(self, index: int) -> None:
        name = self.preset_combo.itemData(index)
        if name is not None:
            self.view.load_preset(name)

    def _on_seed_edited(self) -> None:
        # A seed typed into the box reproduces its arrays; leaving the box unchanged does nothing.
        shown = self.view.last_seed if self.view.last_seed is not None else 0  # the box starts at 0
        if self.seed_spin.value() != shown:
            self.view.randomize(self.seed_spin.value())

    def _on_shape_edited(self) -> None:
        rows, cols = self.rows_spin.value(), self.cols_spin.value()
        if (rows, cols) != self.view.document.shape:
            self.view.resize_arrays(rows, cols)

    def _on_step_changed(self, value: float) -> None:
        self.view.nudge_step = float(value)
