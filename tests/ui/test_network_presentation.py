"""The presentation style enlarges the network, never shrinks it; header texts never collide or touch an edge."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QRectF

from reluviz.core.network import NetworkRun
from reluviz.core.network.timeline import build_timeline, default_sample
from reluviz.render.network_look import _Geometry, network_look, node_text_font
from reluviz.render.network_painter import header_boxes
from reluviz.render.theme import DARK, LIGHT

SIZES = [(1280, 720), (1920, 1080)]


def _frames():
    rec = NetworkRun("dead", seed=0).train_step()
    for sample in (None, default_sample(rec)):
        yield from build_timeline(rec, sample).frames


@pytest.fixture(scope="module")
def frames(qapp):
    return list(_frames())


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("base", [LIGHT, DARK], ids=["light", "dark"])
def test_presentation_draws_nodes_values_and_headers_at_least_as_large(frames, width, height, base) -> None:
    rect = QRectF(0, 0, width, height)
    presentation = base.scaled(1.5)
    for f in frames:
        normal = _Geometry(f.scene, rect, network_look(base).scale)
        large = _Geometry(f.scene, rect, network_look(presentation).scale)
        assert large.r >= normal.r
        for texts in f.scene.node_text:
            if texts:
                assert node_text_font(texts, large.r).pixelSize() >= node_text_font(texts, normal.r).pixelSize()
        small_items, large_items = header_boxes(f.scene, rect, base), header_boxes(f.scene, rect, presentation)
        assert [i.text for i in small_items] == [i.text for i in large_items]
        for a, b in zip(small_items, large_items, strict=True):
            assert b.font.pixelSize() >= a.font.pixelSize(), (a.text, a.font.pixelSize(), b.font.pixelSize())


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("scale", [1.0, 1.5])
def test_header_texts_do_not_overlap_or_touch_an_edge(frames, width, height, scale) -> None:
    rect = QRectF(0, 0, width, height)
    theme = LIGHT.scaled(scale)
    for f in frames:
        items = [i for i in header_boxes(f.scene, rect, theme) if i.text]
        inks = [i.ink() for i in items]
        for ink, item in zip(inks, items, strict=True):
            assert ink.left() >= rect.left() + 2 and ink.right() <= rect.right() - 2, (item.text, ink)
        for (a, ia), (b, ib) in itertools.combinations(zip(items, inks, strict=True), 2):
            assert not ia.adjusted(1, 1, -1, -1).intersects(ib.adjusted(1, 1, -1, -1)), (a.text, b.text)
