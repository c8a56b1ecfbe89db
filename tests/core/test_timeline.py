"""The animation timeline is pure data: its frames are checked here without a display."""

from __future__ import annotations

import re

import numpy as np
import pytest

from reluviz.core.network import NetworkRun
from reluviz.core.network.timeline import Phase, build_timeline, default_sample, first_mixed_sample, format_column


@pytest.fixture(scope="module")
def book_record():
    return NetworkRun("book", seed=0).evaluate()


def test_book_timeline_order_and_text(book_record) -> None:
    tl = build_timeline(book_record, sample=3)
    names = [(f.phase, f.layer_name) for f in tl.frames]
    assert names == [
        (Phase.FORWARD, "Dense 1"),
        (Phase.FORWARD, "ReLU 1"),
        (Phase.FORWARD, "Dense 2"),
        (Phase.LOSS, "Softmax + loss"),
        (Phase.BACKWARD, "Softmax + loss"),
        (Phase.BACKWARD, "Dense 2"),
        (Phase.BACKWARD, "ReLU 1"),
        (Phase.BACKWARD, "Dense 1"),
    ]
    assert [f.index for f in tl.frames] == list(range(8))
    assert tl.phase_starts() == [0, 3, 4]
    z = book_record.relus[0].inputs[3]
    blocked = int((z <= 0).sum())
    relu_back = tl.frames[6]
    units = ", ".join(str(i) for i in np.flatnonzero(z <= 0))
    assert relu_back.text == (
        f"ReLU 1 backward: mask z <= 0 blocked {blocked} of 3 gradients (sample 3, row 3 of z): "
        f"unit{'' if blocked == 1 else 's'} {units}."
    )
    assert relu_back.summary == (
        f"ReLU 1 backward · sample 3: {blocked} of 3 gates closed, "
        f"{3 - blocked} gradient{' passes' if 3 - blocked == 1 else 's pass'}"
    )
    assert relu_back.tensors == ("z", "dvalues", "dinputs")
    assert "Batch loss 1.09861" in tl.frames[3].text and "accuracy 0.34" in tl.frames[3].text
    # the gate closes at ReLU 1 forward and stays closed to the end
    assert tl.frames[0].scene.gates == (None,)
    for f in tl.frames[1:]:
        np.testing.assert_array_equal(f.scene.gates[0], z <= 0)


def test_scene_contents_follow_the_pass(book_record) -> None:
    tl = build_timeline(book_record, sample=5)
    d1 = book_record.dense[0]
    fwd = tl.frames[0].scene
    assert fwd.active_block == 0 and fwd.direction == 1 and fwd.edge_kind == ("weight", "weight")
    np.testing.assert_array_equal(fwd.node_values[1], d1.output[5])
    assert fwd.node_values[2] is None
    back = tl.frames[-1].scene
    assert back.edge_kind == ("grad", "grad") and back.direction == -1
    np.testing.assert_allclose(back.edge_values[0], np.outer(d1.inputs[5], d1.dvalues[5]))
    np.testing.assert_array_equal(back.node_values[0], d1.dinputs[5])
    relu_b = tl.frames[6].scene
    assert relu_b.gate_pulse == 0 and relu_b.direction == -1


def test_locate_maps_time_to_frame_and_progress(book_record) -> None:
    tl = build_timeline(book_record, sample=0)
    assert tl.locate(-1.0) == (0, 0.0)
    f2 = tl.frames[2]
    i, p = tl.locate(f2.start + 0.25 * f2.duration)
    assert i == 2 and p == pytest.approx(0.25)
    assert tl.locate(tl.duration + 5) == (len(tl) - 1, 1.0)


def test_whole_batch_and_train_step_frames() -> None:
    run = NetworkRun("dead", seed=0)
    rec = run.train_step()
    tl = build_timeline(rec, sample=None)
    assert [f.phase for f in tl.frames][-3:] == [Phase.UPDATE] * 3
    relu1_back = next(
        f for f in tl.frames if f.phase == Phase.BACKWARD and f.layer_name == "ReLU 1"
    )
    dead = rec.relu[0].dead_count
    assert f"{dead} dead unit" in relu1_back.text and "(whole batch)" in relu1_back.text
    assert relu1_back.scene.dead_count[0] == dead
    np.testing.assert_array_equal(relu1_back.scene.gates[0], rec.relu[0].dead)
    assert relu1_back.scene.sample is None
    last = tl.frames[-1].scene
    assert last.edge_kind == ("new", "new", "new")
    np.testing.assert_array_equal(last.edge_values[2], rec.new_weights[2])


def test_sample_outside_batch_is_refused(book_record) -> None:
    with pytest.raises(IndexError, match="outside the batch"):
        build_timeline(book_record, sample=300)


def test_format_column() -> None:
    assert format_column(None) == ((), "")
    assert format_column(np.array([0.5, -0.25, 0.0])) == (("0.50", "-0.25", "0"), "")
    assert format_column(np.array([0.00123, -0.0004])) == (("1.23", "-0.40"), "×10⁻³")
    assert format_column(np.array([-0.0])) == (("-0",), "")
    # short labels (legible in small nodes), yet a small value beside a large one never reads as 0
    assert format_column(np.array([4.8, 0.0712, 0.0004])) == (("4.80", "0.07", "4e-4"), "")
    assert format_column(np.array([9.996, 123.4, 999.96])) == (("10.0", "123", "1000"), "")
    assert format_column(np.array([2500.0, -3.0])) == (("2.50", "-3e-3"), "×10³")
    assert format_column(np.array([np.nan, 0.5])) == (("nan", "0.50"), "")


def test_node_labels_are_four_characters_and_a_sign_at_most() -> None:
    rng = np.random.default_rng(1)
    for _ in range(300):
        v = rng.standard_normal(6) * 10.0 ** rng.integers(-8, 5, size=6)
        labels, _scale = format_column(v)
        # (a value 10¹⁰ times below its column's largest takes a two-digit exponent: "3e-11")
        assert all(len(t.lstrip("-")) <= (5 if re.search(r"e-\d\d", t) else 4) for t in labels), labels


def test_no_nonzero_node_value_reads_as_zero() -> None:
    rng = np.random.default_rng(0)
    for _ in range(200):
        v = rng.standard_normal(6) * 10.0 ** rng.integers(-8, 5, size=6)
        labels, _scale = format_column(v)
        for x, text in zip(v, labels, strict=True):
            assert float(text) != 0 and np.sign(float(text)) == np.sign(x), (x, text)


def test_first_mixed_sample_skips_the_origin_and_small_inputs() -> None:
    assert default_sample is first_mixed_sample
    for key in ("book", "default", "dead"):
        rec = NetworkRun(key, seed=0).evaluate()
        assert np.all(rec.x[0] == 0), "sample 0 of the spiral is the origin"
        for relu in rec.relus:
            assert np.all(relu.inputs[0] <= 0), "so every gate is closed there"
        s = first_mixed_sample(rec)
        assert s > 0
        for relu in rec.relus:
            closed = relu.inputs <= 0
            assert closed[s].any() and not closed[s].all()
        # Not a point near the origin (sample 1 is at x ≈ (0.003, 0.0096): unreadable numbers):
        # the first mixed row whose |x| is at least the batch's median.
        norms = np.linalg.norm(rec.x.astype(np.float64), axis=1)
        assert norms[s] >= np.median(norms) > 0.1
        mixed_all = np.all([(r.inputs <= 0).any(axis=1) & (r.inputs > 0).any(axis=1) for r in rec.relus], axis=0)
        assert s == int(np.flatnonzero(mixed_all & (norms >= np.median(norms)))[0])
        assert s != int(np.flatnonzero(mixed_all)[0]), "the old choice sat at the origin"
        tl = build_timeline(rec, sample=s)
        n = rec.batch_size
        assert tl.frames[0].scene.shown == f"sample {s} (rows 0–{n - 1}) · class {int(rec.y[s])}"
    whole = build_timeline(rec, sample=None)
    assert whole.frames[0].scene.shown == f"mean of {rec.batch_size} samples"


def test_first_mixed_sample_falls_back_when_no_row_is_mixed() -> None:
    run = NetworkRun("default", seed=0)
    run.network.dense_layers[0].biases[:] = -100.0  # ReLU 1 closed everywhere, so ReLU 2 too
    assert first_mixed_sample(run.evaluate()) == 0
    run = NetworkRun("default", seed=0)
    run.network.dense_layers[1].biases[:] = -100.0  # only ReLU 1 can mix
    rec = run.evaluate()
    s = first_mixed_sample(rec)
    z = rec.relus[0].inputs[s]
    assert s > 0 and (z <= 0).any() and (z > 0).any()
    norms = np.linalg.norm(rec.x, axis=1)
    assert norms[s] >= np.median(norms)


def test_first_mixed_sample_prefers_large_inputs_but_falls_back_to_any_norm() -> None:
    run = NetworkRun("default", seed=0)
    rec = run.evaluate()
    norms = np.linalg.norm(rec.x, axis=1)
    mixed_all = np.all([(r.inputs <= 0).any(axis=1) & (r.inputs > 0).any(axis=1) for r in rec.relus], axis=0)
    # Keep only the rows near the origin mixed: the median-norm rule can't be met, so the first
    # mixed row at any norm is chosen (the old behaviour).
    small = norms < np.median(norms)
    keep = np.flatnonzero(mixed_all & small)
    assert keep.size
    from dataclasses import replace

    layers = []
    for layer in rec.layers:
        if layer.kind == "relu":
            z = layer.inputs.copy()
            z[~np.isin(np.arange(len(z)), keep)] = -1.0  # every other row: all gates closed
            layer = replace(layer, inputs=z)
        layers.append(layer)
    assert first_mixed_sample(replace(rec, layers=tuple(layers))) == int(keep[0])


def _indices(text: str, pattern: str) -> list[tuple[int, ...]]:
    return [tuple(int(g) for g in m.groups()) for m in re.finditer(pattern, text)]


@pytest.mark.parametrize("key", ["book", "default", "dead"])
def test_every_index_a_step_card_shows_is_zero_based_and_fits_the_arrays(key) -> None:
    """sample k = row k and unit j = column j of the z that "Open ReLU n in arrays" loads; W[i, j] is
    a valid NumPy index of that layer's (n_in, n_out) weights. (The cards used to say "unit 6" and
    w[6,4] for a 2×6 weight: 1-based in NumPy brackets.)"""
    rec = NetworkRun(key, seed=0).train_step()
    s = first_mixed_sample(rec)
    tl = build_timeline(rec, sample=s)
    by_name = {layer.name: layer for layer in rec.layers}
    checked = 0
    for f in tl.frames:
        layer = by_name.get(f.layer_name)
        text = f.text
        for row, unit in _indices(text, r"(?<![dW])z\[(\d+), (\d+)\]"):
            z = layer.output  # a dense layer's z: what its ReLU (and the arrays) call z
            assert row == s and 0 <= unit < z.shape[1]
            assert unit == int(np.argmax(z[s])), text
            assert f"largest z = {float(z[s, unit]):.4g}" in text
            checked += 1
        for i, j in _indices(text, r"its largest \|dW\| = \S+ at dW\[(\d+), (\d+)\]"):
            share = np.outer(layer.inputs[s], layer.dvalues[s])  # the sample's share the lines draw
            assert (i, j) == np.unravel_index(int(np.argmax(np.abs(share))), share.shape), text
            checked += 1
        for i, j in _indices(text, r"Whole batch: largest \|dW\| = \S+ at dW\[(\d+), (\d+)\]"):
            dw = layer.dweights
            assert (i, j) == np.unravel_index(int(np.argmax(np.abs(dw))), dw.shape), text
            checked += 1
        for i, j in _indices(text, r"(?<!d)W\[(\d+), (\d+)\]"):
            b = [d.name for d in rec.dense].index(f.layer_name)
            change = rec.new_weights[b].astype(np.float64) - layer.weights
            assert (i, j) == np.unravel_index(int(np.argmax(np.abs(change))), change.shape), text
            checked += 1
        if f.kind == "relu":
            closed = np.flatnonzero(layer.inputs[s] <= 0)
            listed = re.search(r"units? ([\d, ]+)", text)
            assert listed is not None and [int(u) for u in listed.group(1).split(", ")] == list(closed), text
            assert f"Sample {s}:" in text or f"(sample {s}, row {s} of z)" in text
            checked += 1
    assert checked >= len(tl.frames) - 2


def test_step_cards_keep_layer_names_and_indices_apart() -> None:
    """Layer names count from 1 ("ReLU 1" is a name); every index is written with its word
    ("sample 3", "row 3", "unit 4") or in brackets, and is a valid 0-based index."""
    rec = NetworkRun("default", seed=0).train_step()
    names = {layer.name for layer in rec.layers}
    widest = max(rec.x.shape[1], *(d.weights.shape[1] for d in rec.dense))
    for sample in (first_mixed_sample(rec), None):
        for f in build_timeline(rec, sample=sample).frames:
            for text in (f.text, f.summary):
                for name in re.findall(r"\b(?:ReLU|Dense) \d+", text):
                    assert name in names, text
                for word, number in re.findall(r"\b([Ss]ample|row) (\d+)", text):
                    assert int(number) == sample, (word, text)
                for group in re.findall(r"\bunits? ((?:\d+(?:, )?)+)", text):
                    assert all(0 <= int(u) < widest for u in group.split(", ") if u), text
                assert "w[" not in text  # the old 1-based "w[6,4]"


def test_every_frame_has_a_one_line_summary() -> None:
    rec = NetworkRun("dead", seed=0).train_step()
    for sample in (first_mixed_sample(rec), None):
        tl = build_timeline(rec, sample=sample)
        for f in tl.frames:
            assert f.summary and "\n" not in f.summary and f.summary.startswith(
                ("Dense", "ReLU", "Softmax", "SGD")
            ), f.summary
        relu1_back = next(f for f in tl.frames if f.phase == Phase.BACKWARD and f.layer_name == "ReLU 1")
        if sample is None:
            assert relu1_back.summary.startswith("ReLU 1 backward · whole batch: ")
            assert "1 dead unit (unit 2)" in relu1_back.summary
        else:
            k = int((rec.relus[0].inputs[sample] <= 0).sum())
            assert relu1_back.summary.startswith(f"ReLU 1 backward · sample {sample}: {k} of 6 gates closed")
