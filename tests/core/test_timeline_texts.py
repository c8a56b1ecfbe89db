"""What the network frames say is computed from the pass: scales, labels, step cards, notes."""

from __future__ import annotations

import re

import numpy as np
import pytest

from reluviz.core.network import PRESETS, NetworkRun, build_network
from reluviz.core.network.timeline import (
    Phase,
    build_timeline,
    default_sample,
    preset_difference,
    uniform_outputs,
)
from reluviz.core.network.timeline_frames import _QUANTITY, BEFORE_GATE, TRANSPOSE_NOTE

CASES = [(k, m) for k in ("book", "default", "dead") for m in ("sample", "batch")]


def _timeline(key: str, mode: str, trained: bool = True):
    run = NetworkRun(key, seed=0)
    rec = run.train_step() if trained else run.evaluate()
    return rec, build_timeline(rec, default_sample(rec) if mode == "sample" else None)


def _quantity(caption: str) -> str:
    name = caption.split(" ×10")[0]
    return _QUANTITY["dL/da" if name == BEFORE_GATE else name]


@pytest.mark.parametrize(("key", "mode"), CASES)
def test_one_exponent_per_quantity_for_the_whole_pass(key, mode) -> None:
    """A number never changes its exponent between frames (-0.342 ×10⁻³ was -3.42 ×10⁻⁴ later)."""
    _, tl = _timeline(key, mode)
    scales: dict[tuple[int, str], set[str]] = {}
    written: dict[tuple[int, str, float], set[str]] = {}
    for f in tl.frames:
        sc = f.scene
        for col, caption in enumerate(sc.captions):
            if not caption:
                continue
            q = _quantity(caption)
            scales.setdefault((col, q), set()).add(caption.partition("×")[2])
            for value, text in zip(sc.node_values[col], sc.node_text[col], strict=True):
                written.setdefault((col, q, float(value)), set()).add(text + caption.partition("×")[2])
    assert all(len(s) == 1 for s in scales.values()), scales
    assert all(len(s) == 1 for s in written.values())
    # a ReLU column's dL/da and dL/dz share their scale: an open unit's number reads the same
    assert any((c, "gradient") in scales for c in range(1, len(tl.frames[0].scene.sizes) - 1))


@pytest.mark.parametrize(("key", "mode"), CASES)
def test_closed_units_showing_a_number_are_labelled_before_the_gate(key, mode) -> None:
    _, tl = _timeline(key, mode)
    seen = 0
    for f in tl.frames:
        sc = f.scene
        for r, col in enumerate(sc.relu_columns):
            caption, values, gates = sc.captions[col], sc.node_values[col], sc.gates[r]
            shows_number = (
                caption.startswith(("dL/da", BEFORE_GATE))
                and gates is not None
                and bool(np.any(gates & (values != 0)))
            )
            assert caption.startswith(BEFORE_GATE) == shows_number, (f.text, caption)
            if shows_number:
                assert "Closed units show dL/da, before the gate" in f.text
                seen += 1
    if key != "book" or mode == "sample":
        assert seen  # every case but the book's whole batch (no dead unit) has one


@pytest.mark.parametrize(("key", "mode"), CASES)
def test_dense_backward_card_names_the_largest_entry_of_what_the_lines_draw(key, mode) -> None:
    rec, tl = _timeline(key, mode)
    for f in tl.frames:
        if f.phase != Phase.BACKWARD or f.kind != "dense":
            continue
        b = [d.name for d in rec.dense].index(f.layer_name)
        drawn = f.scene.edge_values[b]
        layer = rec.dense[b]
        s = f.scene.sample
        expected = layer.dweights if s is None else np.outer(layer.inputs[s], layer.dvalues[s])
        np.testing.assert_array_equal(drawn, expected)
        i, j = np.unravel_index(int(np.argmax(np.abs(drawn))), drawn.shape)
        m = re.search(r"argest \|dW\|(?: \(whole batch\))? = (\S+) at dW\[(\d+), (\d+)\]", f.text)
        assert m is not None, f.text
        assert (int(m.group(2)), int(m.group(3))) == (i, j)
        assert float(m.group(1)) == pytest.approx(abs(drawn[i, j]), rel=1e-3)
        if s is None:
            assert "Largest |dW| (whole batch)" in f.text and "share" not in f.text
        else:
            assert f"Lines: sample {s}'s share of dW" in f.text


def test_transpose_is_explained_once_per_timeline() -> None:
    for key in ("book", "default"):
        _, tl = _timeline(key, "sample")
        assert sum(TRANSPOSE_NOTE in f.text for f in tl.frames) == 1
        assert sum("inputsᵀ · dvalues" in f.text for f in tl.frames) == len(tl.record.dense)


def test_softmax_note_only_when_outputs_are_uniform() -> None:
    book, tl = _timeline("book", "batch", trained=False)
    assert uniform_outputs(book.loss_layer.output)
    card = next(f.text for f in tl.frames if f.phase == Phase.BACKWARD and f.kind == "softmax_cce")
    assert "Every p of this pass is 1/3 to 3 decimals" in card
    assert f"(1/3 − 1)/300 = {(1 / 3 - 1) / 300:.4g}" in card and f"(1/3)/300 = {1 / 900:.4g}" in card
    # the default network's outputs are not uniform to 3 decimals: no such claim
    default, tl = _timeline("default", "batch", trained=False)
    assert not uniform_outputs(default.loss_layer.output)
    assert not any("1/3 to 3 decimals" in f.text for f in tl.frames)
    # one-sample mode says it for the sample only when that sample's p are uniform
    s = default_sample(default)
    tl = build_timeline(default, s)
    card = next(f.text for f in tl.frames if f.phase == Phase.BACKWARD and f.kind == "softmax_cce")
    assert ("p are all 1/3 to 3 decimals" in card) == uniform_outputs(default.loss_layer.output[s : s + 1])


def test_preset_difference_is_computed_from_what_the_presets_build() -> None:
    text = preset_difference("dead")
    dead_net, x, _, _ = build_network(PRESETS["dead"], 0)
    bias = float(dead_net.dense_layers[0].biases[0, 2])
    assert text.startswith("Dead unit vs Default (2-6-6-3), seed 0: same layer sizes, data, initial weights")
    assert f"only the bias of ReLU 1 unit 2 differs: {bias:.4g} instead of 0" in text
    z = x @ dead_net.dense_layers[0].weights + dead_net.dense_layers[0].biases
    assert np.all(z[:, 2] <= 0) and f"z <= 0 for all {len(x)} samples: dead from the start" in text
    assert "differs in layer sizes, data" in preset_difference("book")
