"""Network → Dead units over training: the chart draws the trace's counts and says what it measured."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from reluviz.core.teaching.dead_units import trace_dead_units
from reluviz.render.dead_units_chart import (
    DEAD_UNIT_RULE,
    ChartColors,
    dead_units_findings,
    paint_dead_units_chart,
)
from reluviz.render.theme import DARK, LIGHT
from reluviz.ui.dead_units_dialog import DeadUnitsDialog
from reluviz.ui.main_window import MainWindow


@pytest.mark.parametrize("lr", [0.5, 5.0])
def test_chart_points_are_the_traced_dead_counts_and_are_painted(qapp, lr) -> None:
    trace = trace_dead_units("dead", steps=60, learning_rate=lr)
    image = QImage(640, 300, QImage.Format.Format_ARGB32)
    colors = ChartColors(LIGHT.background, LIGHT.text, LIGHT.muted)
    painter = QPainter(image)
    geo = paint_dead_units_chart(painter, QRectF(0, 0, 640, 300), trace, (6, 6), colors)
    painter.end()
    for k, pts in enumerate(geo.points):
        counts = [round(geo.count_at(p), 6) for p in pts]
        assert counts == trace.counts(k)
        # the line is painted through the middle of each step's point
        line = colors.lines[k].rgb()
        painted = [image.pixelColor(int(p.x()) + 1, round(p.y())) for p in pts[:-1]]
        assert sum(abs(c.red() - QColor(line).red()) < 40 and abs(c.blue() - QColor(line).blue()) < 40
                   for c in painted) >= len(painted) // 2


def test_findings_say_only_what_the_trace_measured() -> None:
    calm = trace_dead_units("dead", steps=100, learning_rate=0.5)
    text = dead_units_findings(calm, 0.5)
    assert text[0] == f"ReLU 1: {calm.counts(0)[0]} dead at step 1, {calm.counts(0)[-1]} at step 100; none came back."
    assert "bit for bit unchanged" in text[-1] and all(s.dead_units_frozen for s in calm.steps)
    hot = trace_dead_units("dead", steps=100, learning_rate=2.0)
    layer2 = [(s, u) for s, layer, u in hot.revived if layer == 1]
    assert layer2, "at learning rate 2 a ReLU 2 unit comes back (its inputs change)"
    first = f"{len(layer2)} came back (unit {layer2[0][1]} at step {layer2[0][0] + 1}"
    assert first in dead_units_findings(hot, 2.0)[1]
    assert not [r for r in hot.revived if r[1] == 0]
    assert dead_units_findings(hot, 2.0)[0].endswith("none came back.")


def test_network_menu_opens_the_dialog_and_reruns_at_a_new_learning_rate(qtbot) -> None:
    win = MainWindow()
    qtbot.addWidget(win)
    win.network_view.set_preset("dead")
    action = next(a for a in win.actions() if a.objectName() == "dead_units")
    action.trigger()
    dialog = win.findChild(DeadUnitsDialog, "dead_units_dialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.preset_combo.currentData() == "dead"
    trace = dialog.trace
    expected = trace_dead_units("dead", steps=100, learning_rate=0.5)
    assert [trace.counts(k) for k in (0, 1)] == [expected.counts(k) for k in (0, 1)]
    assert DEAD_UNIT_RULE in dialog.rule_label.text() and "passed %" in dialog.rule_label.text()
    assert "only the bias of ReLU 1 unit 2 differs" in dialog.relation_label.text()
    dialog.lr_spin.setValue(5.0)
    dialog.steps_spin.setValue(40)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    again = trace_dead_units("dead", steps=40, learning_rate=5.0)
    assert dialog.trace.counts(1) == again.counts(1)
    assert dialog.findings_label.text() == " ".join(dead_units_findings(again, 5.0))
    image = dialog.chart.grab().toImage()
    assert image.width() > 0 and dialog.chart.geometry_drawn is not None
    drawn = dialog.chart.geometry_drawn
    assert np.array_equal([round(drawn.count_at(p), 6) for p in drawn.points[1]], again.counts(1))
    dialog.close()


def test_dark_dialog_paints_on_the_dark_background(qtbot) -> None:
    dialog = DeadUnitsDialog("dead", 0, DARK)
    qtbot.addWidget(dialog)
    dialog.resize(700, 500)
    dialog.show()
    image = dialog.chart.grab().toImage()
    assert image.pixelColor(2, 2).name() == DARK.background.name()


def test_preset_box_tells_how_the_dead_preset_relates_to_the_default(qtbot) -> None:
    from reluviz.core.network.timeline import preset_difference
    from reluviz.core.network_document import NetworkDocument
    from reluviz.ui.network_view import NetworkView

    view = NetworkView(NetworkDocument())
    qtbot.addWidget(view)
    combo = view.preset_combo
    tip = combo.itemData(combo.findData("dead"), Qt.ItemDataRole.ToolTipRole)
    assert tip == preset_difference("dead") and "only the bias of ReLU 1 unit 2 differs" in tip
