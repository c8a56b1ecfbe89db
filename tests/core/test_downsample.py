"""Downsampling never hides a blocked cell, however many cells one pixel covers."""

from __future__ import annotations

import numpy as np
import pytest

from reluviz.core.downsample import any_blocks, blocked_fraction


@pytest.mark.parametrize("step", [256, (256, 256), (512, 128), 4096])
def test_a_fully_blocked_block_of_65536_or_more_cells_reads_fully_blocked(step):
    """256×256 = 65,536 cells wrapped a uint16 count to 0: the block read as unblocked."""
    flags = np.ones((1024, 1024) if step != 4096 else (4096, 4096), dtype=bool)
    whole = slice(None)
    fraction = blocked_fraction(flags, whole, whole, step)
    assert fraction.min() == 1.0 and fraction.max() == 1.0
    assert ((fraction > 0) == any_blocks(flags, whole, whole, step)).all()


def test_fraction_matches_a_plain_mean_at_a_large_step():
    rng = np.random.default_rng(0)
    flags = rng.random((600, 700)) < 0.3
    fraction = blocked_fraction(flags, slice(None), slice(None), (300, 350))
    expected = flags.reshape(2, 300, 2, 350).mean(axis=(1, 3))
    assert np.allclose(fraction, expected, rtol=0, atol=1e-6)
