"""Legible at every size: values all printed or none, a margin in cells, cells that fill the room,
legends inside their panel, presentation exports that never shrink the cells (issue #8)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF, Qt

from reluviz.render.figures import (
    arrays_figure,
    arrays_figure_layout,
    figure_cell_size,
    figure_image,
    panels_from_arrays,
)
from reluviz.render.heatmap import HeatmapRenderer, ViewState
from reluviz.render.theme import DARK, LIGHT

pytestmark = pytest.mark.window_size(1280, 720)

SIZES = [(1280, 720), (1920, 1080), (2560, 1440), (3840, 2160)]


def five_by_six() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    z = np.round(rng.normal(size=(5, 6)), 2)
    z[1, 1], z[2, 3], z[4, 5] = 0.0, -0.0, np.nan
    return z, np.round(rng.normal(size=(5, 6)), 2)


def printed_in_figure(panels, width: int, height: int, theme, **options) -> dict[str, list]:
    """Render a figure with every panel's renderer recording what it prints."""
    recorded: dict[str, list] = {}
    original = HeatmapRenderer.paint

    def paint(self, painter, rect, data, *args, **kwargs):
        self.drawn_texts = recorded.setdefault(data.role, [])
        return original(self, painter, rect, data, *args, **kwargs)

    HeatmapRenderer.paint = paint
    try:
        figure_image(arrays_figure(panels, width, height, theme, **options))
    finally:
        HeatmapRenderer.paint = original
    return recorded


def show_arrays(qtbot, window, z, dvalues) -> None:
    window.arrays_view.replace_arrays(z, dvalues, "test", refit=True)
    for panel in window.arrays_view.panels.values():
        panel.renderer.drawn_texts = []
        panel.repaint()


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (3840, 2160)])
def test_screen_prints_every_value_of_a_5x6_with_negatives_with_a_margin(qtbot, window, size):
    window.resize(*size)
    qtbot.wait(1)
    z, dvalues = five_by_six()
    show_arrays(qtbot, window, z, dvalues)
    for role in ("z", "dvalues", "drelu"):
        drawn = window.arrays_view.panels[role].renderer.drawn_texts
        # All 30 values or none: never the positive ones alone.
        assert len(drawn) == 30, (role, [t for t, _, _ in drawn])
        assert {t for t, _, _ in drawn} >= ({"-0.57", "-2.56"} if role == "z" else set())
        for text, box, cell in drawn:
            margin = max(2.0, cell.width() * 0.05)
            assert cell.adjusted(margin, 0, -margin, 0).contains(QRectF(box.left(), cell.top(), box.width(), 1)), (
                text, box, cell)
        sizes = {round(box.height()) for _, box, _ in drawn}
        assert len(sizes) == 1  # one font size per panel


@pytest.mark.parametrize(("size", "theme"), [((1280, 720), LIGHT), ((1920, 1080), DARK), ((3840, 2160), LIGHT)])
def test_export_prints_every_value_or_none_with_a_margin(size, theme):
    z, dvalues = five_by_six()
    recorded = printed_in_figure(panels_from_arrays(z, dvalues), *size, theme)
    for role in ("z", "dvalues", "drelu"):
        assert len(recorded[role]) in (0, 30)
        assert len(recorded[role]) == 30, role
        for text, box, cell in recorded[role]:
            margin = max(2.0, cell.width() * 0.05)
            assert box.left() >= cell.left() + margin and box.right() <= cell.right() - margin, (text, box, cell)


def test_a_wider_edit_shrinks_the_whole_panel_and_matches_a_fresh_render(qtbot, window):
    z, dvalues = five_by_six()
    show_arrays(qtbot, window, z, dvalues)
    panel = window.arrays_view.panels["z"]
    before = {round(box.height()) for _, box, _ in panel.renderer.drawn_texts}
    window.arrays_view.commit_text("z", 0, 0, "-123456")
    panel.renderer.drawn_texts = []
    panel.repaint()
    after = {round(box.height()) for _, box, _ in panel.renderer.drawn_texts}
    assert len(panel.renderer.drawn_texts) in (0, 30)
    assert after != before or not after
    # What the screen shows equals a fresh render of the same panel.
    shown = panel.grab().toImage()
    fresh = HeatmapRenderer()
    from PySide6.QtGui import QImage, QPainter
    image = QImage(shown.size(), QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    fresh.paint(painter, QRectF(panel.rect()), panel._data_source(), panel.view, window.arrays_view.theme,
                selection=panel.selection, selection_is_here=panel.selection_is_here, hover=panel.hover)
    if panel.hasFocus():
        painter.setPen(window.arrays_view.theme.accent)
        painter.drawRect(QRectF(panel.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
    painter.end()
    assert shown.convertToFormat(image.format()) == image


def test_fit_grows_cells_beyond_96_px_in_a_big_window(qtbot, window):
    window.resize(1920, 1080)
    window.arrays_view.load_preset("book")
    panel = window.arrays_view.panels["z"]
    qtbot.keyClick(panel, Qt.Key.Key_F)
    qtbot.wait(1)
    assert panel.resolved_view().cell_px > 96


def test_a_16_9_export_of_a_3x4_fills_most_of_the_slide():
    z = np.array([[1.0, 2, -3, -4], [2, -7, -1, 3], [-1, 2, 5, -1]])
    panels = panels_from_arrays(z, np.arange(1.0, 13).reshape(3, 4))
    for width, height in SIZES:
        layout = arrays_figure_layout(QRectF(0, 0, width, height), panels, ViewState(), LIGHT.scaled(width / 1280))
        cell = figure_cell_size(panels, width, height, LIGHT.scaled(width / 1280), ViewState())
        # Two rows of three cells take most of the height.
        assert 6 * cell > 0.7 * height, (width, cell)
        assert all(rect.height() > 0.35 * height for rect in layout.panels.values())


@pytest.mark.parametrize("theme", [LIGHT, DARK, LIGHT.scaled(1.5), DARK.scaled(1.5)])
@pytest.mark.parametrize("size", SIZES)
def test_every_legend_lies_inside_its_panel_and_the_figure(size, theme):
    z, dvalues = five_by_six()
    panels = panels_from_arrays(z, dvalues)
    from reluviz.render.figures import _export_scale, _never_smaller_cells
    scaled = _never_smaller_cells(panels, *size, theme, _export_scale(*size), ViewState(),
                                  "drelu = dvalues.copy(); drelu[z <= 0] = 0", ("z", "dvalues", "mask", "drelu"))
    layout = arrays_figure_layout(QRectF(0, 0, *size), panels, ViewState(), scaled,
                                  "drelu = dvalues.copy(); drelu[z <= 0] = 0")
    seen = set()
    renderer = HeatmapRenderer()
    for role, rect in layout.panels.items():
        assert QRectF(0, 0, *size).contains(rect)
        geometry = renderer.geometry(rect, panels[role].values.shape, ViewState(), scaled)
        entries = renderer.legend_entries(panels[role], geometry.view, geometry.parts.plot)
        area = QRectF(geometry.parts.bar.left(), geometry.parts.bar.top(), rect.right() - geometry.parts.bar.left(),
                      rect.bottom() - geometry.parts.bar.top())
        _bar, legends = renderer.legend_layout(area, entries, scaled)
        for key, box in legends:
            assert rect.contains(box), (role, key, box, rect)
            seen.add(key)
    assert seen == {"true", "false", "blocked", "zero", "nonfinite"}


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (3840, 2160)])
def test_every_legend_is_inside_its_panel_on_screen(qtbot, window, size):
    for presentation in (False, True):
        window.presentation_action.setChecked(presentation)
        window._on_look_changed(save=False)
        window.resize(*size)
        z, dvalues = five_by_six()
        show_arrays(qtbot, window, z, dvalues)
        view = window.arrays_view
        seen = set()
        for role, panel in view.panels.items():
            geometry = panel.geometry()
            data = view.panel_data(role)
            entries = panel.renderer.legend_entries(data, geometry.view, geometry.parts.plot)
            bar = geometry.parts.bar
            area = QRectF(bar.left(), bar.top(), panel.width() - bar.left(), panel.height() - bar.top())
            _bar, legends = panel.renderer.legend_layout(area, entries, view.theme)
            for key, box in legends:
                assert QRectF(panel.rect()).contains(box), (size, presentation, role, key, box)
                seen.add(key)
        assert seen == {"true", "false", "blocked", "zero", "nonfinite"}


def test_presentation_exports_draw_cells_at_least_as_large_and_text_larger():
    z, dvalues = five_by_six()
    panels = panels_from_arrays(z, dvalues)
    for width, height in SIZES:
        for theme in (LIGHT, DARK):
            plain = printed_in_figure(panels, width, height, theme)
            big = printed_in_figure(panels, width, height, theme.scaled(1.5))
            plain_cell = plain["z"][0][2]
            big_cell = big["z"][0][2]
            assert big_cell.width() >= plain_cell.width() - 0.01 and big_cell.height() >= plain_cell.height() - 0.01
            assert len(big["z"]) == 30
