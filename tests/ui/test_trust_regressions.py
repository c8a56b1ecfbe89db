"""Regressions found by the random user of tests/ui/test_stateful_and_leaks.py.

Each replays the user's story up to the action that went wrong and compares every panel on screen
(the window's backing store) with a fresh render after each of the last actions.
"""

from __future__ import annotations

import pytest

from .test_stateful_and_leaks import _random_user


@pytest.mark.slow
def test_infinite_cells_hatched_on_a_pixel_centre_edge_match_a_fresh_render(qtbot, tmp_path):
    """Seed 2026, action 4514: ``fill`` made a centred 2×2 drelu all ``inf`` in a 491×250 panel.

    The array's left edge fell exactly on a pixel centre (x = 126.5). The cells, sampled at pixel
    centres, took pixel column 126; the inf hatching, filled as a fractional rectangle, took it in
    a fresh render but not on screen: a dotted column of 21 stale pixels. Replaying needs the
    4,500 actions before it (about 4 minutes); the screen is compared from action 4,505 on.
    """
    _random_user(qtbot, tmp_path, 2026).run(4520, screen_from=4505)
