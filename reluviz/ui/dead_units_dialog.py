"""Network → "Dead units over training…": train a fresh network N steps and plot its dead units.

The curve is :func:`reluviz.core.teaching.dead_units.trace_dead_units`, painted by
:func:`reluviz.render.dead_units_chart.paint_dead_units_chart`; the words under it say the rule and
only what that run measured (which layer's dead units stayed dead, whether any came back).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from reluviz.core.network import PRESETS
from reluviz.core.network.timeline import preset_difference
from reluviz.core.teaching.dead_units import DeadUnitTrace, trace_dead_units
from reluviz.render.dead_units_chart import (
    DEAD_UNIT_RULE,
    PASSED_PERCENT_MEANING,
    ChartColors,
    ChartGeometry,
    dead_units_findings,
    paint_dead_units_chart,
)
from reluviz.render.theme import LIGHT, Theme

__all__ = ["MAX_STEPS", "DeadUnitsDialog"]

MAX_STEPS = 2000
"""Most steps one run may take (a 2-6-6-3 step on 300 samples takes well under a millisecond)."""


class _Chart(QWidget):
    """Paints the last trace; keeps the geometry it drew (for tests and hit-testing)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.trace: DeadUnitTrace | None = None
        self.units: tuple[int, ...] = ()
        self.colors = ChartColors(LIGHT.background, LIGHT.text, LIGHT.muted)
        self.scale = 1.0
        self.geometry_drawn: ChartGeometry | None = None

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(int(560 * self.scale), int(260 * self.scale))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if self.trace is None:
            return
        painter = QPainter(self)
        self.geometry_drawn = paint_dead_units_chart(
            painter, QRectF(self.rect()), self.trace, self.units, self.colors, self.scale
        )
        painter.end()


class DeadUnitsDialog(QDialog):
    """Train ``steps`` steps from a preset at a learning rate and show dead units per step.

    Parameters
    ----------
    preset_key : str
        The preset to start from (the network view's current one).
    seed : int
    theme : Theme
    parent : QWidget, optional
    """

    def __init__(self, preset_key: str = "dead", seed: int = 0, theme: Theme = LIGHT,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Dead units over training")
        self.seed = seed
        self.preset_combo = QComboBox(self)
        for key, preset in PRESETS.items():
            self.preset_combo.addItem(preset.title, key)
        self.preset_combo.setCurrentIndex(max(self.preset_combo.findData(preset_key), 0))
        self.steps_spin = QSpinBox(self)
        self.steps_spin.setRange(1, MAX_STEPS)
        self.steps_spin.setValue(100)
        self.steps_spin.setPrefix("steps: ")
        self.lr_spin = QDoubleSpinBox(self)
        self.lr_spin.setRange(0.001, 100.0)
        self.lr_spin.setDecimals(3)
        self.lr_spin.setPrefix("learning rate: ")
        self.run_button = QPushButton("Train and plot", self)
        self.run_button.clicked.connect(self.run)
        self.preset_combo.currentIndexChanged.connect(self._on_preset)
        controls = QHBoxLayout()
        for w in (self.preset_combo, self.steps_spin, self.lr_spin, self.run_button):
            controls.addWidget(w)
        self.chart = _Chart(self)
        self.chart.colors = ChartColors(theme.background, theme.text, theme.muted)
        self.chart.scale = theme.scale
        self.relation_label = QLabel(self)
        self.findings_label = QLabel(self)
        self.rule_label = QLabel(f"{DEAD_UNIT_RULE} {PASSED_PERCENT_MEANING}", self)
        for label in (self.relation_label, self.findings_label, self.rule_label):
            label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.findings_label)
        layout.addWidget(self.rule_label)
        layout.addWidget(self.relation_label)
        layout.addWidget(buttons)
        self._on_preset()

    def _on_preset(self, _index: int = 0) -> None:
        key = self.preset_combo.currentData()
        self.lr_spin.setValue(PRESETS[key].learning_rate)
        self.relation_label.setText(preset_difference(key) if key != "default" else "")
        self.run()

    @property
    def trace(self) -> DeadUnitTrace | None:
        """The last run's trace."""
        return self.chart.trace

    def run(self) -> None:
        """Train a fresh network from the preset for the chosen steps and learning rate; plot it."""
        key = self.preset_combo.currentData()
        lr = self.lr_spin.value()
        trace = trace_dead_units(key, steps=self.steps_spin.value(), seed=self.seed, learning_rate=lr)
        self.chart.trace = trace
        self.chart.units = PRESETS[key].sizes[1:-1]
        self.findings_label.setText(" ".join(dead_units_findings(trace, lr)))
        self.chart.update()


def open_dead_units_dialog(parent: QWidget, preset_key: str, seed: int, theme: Theme) -> DeadUnitsDialog:
    """Show a non-modal :class:`DeadUnitsDialog` owned by ``parent`` (it is deleted when closed)."""
    from PySide6.QtCore import Qt

    dialog = DeadUnitsDialog(preset_key, seed, theme, parent)
    dialog.setObjectName("dead_units_dialog")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
