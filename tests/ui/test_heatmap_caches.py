"""The heatmap renderer's caches never serve one array's pixels for another array.

CPython hands a freed object's address (its ``id``) to the next object of the same size, so a
cache keyed on ``id(array)`` plus a revision counter can match a brand-new array whose revision
counters happen to equal the old one's. These tests free an array, allocate look-alikes until
one would get its id, and check that what is returned describes the new array.
"""

from __future__ import annotations

import numpy as np

from reluviz.core.downsample import blocked_fraction
from reluviz.render.heatmap import HeatmapRenderer, PanelData
from reluviz.render.heatmap_colour import shared_fraction

SIDE = 512  # big enough (≥ 65536 cells) for the shared fraction memo to be used
WINDOW = (slice(0, SIDE), slice(0, SIDE), (4, 4))


def _view_on_recycled_id(base: np.ndarray, old_id: int, held: list[np.ndarray]) -> np.ndarray:
    """A view of ``base`` whose ``id`` is ``old_id`` if the allocator gives that address back.

    Each miss is kept alive in ``held`` so the next view takes another free slot.
    """
    for _ in range(5000):
        view = base.view()
        if id(view) == old_id:
            return view
        held.append(view)
    return base.view()


def test_a_recycled_id_cannot_give_a_stale_blocked_fraction():
    all_blocked, held = np.ones((SIDE, SIDE), bool), []
    first = np.zeros((SIDE, SIDE), bool)
    assert not shared_fraction(PanelData("mask", first, first, 1.0, "viridis"), *WINDOW).any()
    old_id = id(first)
    del first
    second = _view_on_recycled_id(all_blocked, old_id, held)
    fraction = shared_fraction(PanelData("mask", second, second, 1.0, "viridis"), *WINDOW)
    np.testing.assert_array_equal(fraction, blocked_fraction(second, *WINDOW))


def test_a_recycled_id_cannot_give_a_stale_zero_answer():
    renderer, zeros, held = HeatmapRenderer(), np.zeros((4, 4)), []
    first = np.ones((4, 4))
    assert not renderer._has_exact_zero(PanelData("z", first, zeros > 0, 1.0, "viridis"))
    old_id = id(first)
    del first
    second = _view_on_recycled_id(zeros, old_id, held)
    assert renderer._has_exact_zero(PanelData("z", second, zeros > 0, 1.0, "viridis"))


def test_switching_inclusive_recolours_a_cached_mask_whose_arrays_were_updated_in_place():
    # The model recomputes the mask in place when z <= 0 becomes z < 0: same array objects, same
    # revision counters; only the switch tells the cache the picture changed.
    z = np.array([[0.0, -1.0, 2.0]])
    blocked = z <= 0
    renderer = HeatmapRenderer()
    window = (range(0, 1), range(0, 3), (1, 1))
    before = renderer._cached_image(PanelData("mask", blocked, blocked, 1.0, "viridis"), *window, False).copy()
    np.less(z, 0, out=blocked)
    after = renderer._cached_image(PanelData("mask", blocked, blocked, 1.0, "viridis", inclusive=False), *window, False)
    assert (before[0, 0] != after[0, 0]).any() and (before[0, 1:] == after[0, 1:]).all()
    assert PanelData("mask", blocked, blocked, 1.0, "viridis", inclusive=False).title == "mask = z < 0"
    assert PanelData("mask", blocked, blocked, 1.0, "viridis").title == "mask = z <= 0"
