"""Dead units: counted per step, and a dead unit's incoming weights and bias are left exactly as they were."""

from __future__ import annotations

import numpy as np
import pytest

from reluviz.core.network import NetworkRun, relu_stats
from reluviz.core.teaching import passed_percent_text, trace_dead_units


def test_the_dead_preset_keeps_its_dead_unit_dead_and_frozen():
    trace = trace_dead_units("dead", steps=30)
    assert len(trace.steps) == 30 and [s.step for s in trace.steps] == list(range(30))
    assert all(bool(s.dead[0][2]) for s in trace.steps)  # ReLU 1 unit 2, set dead by the preset
    assert all(s.dead_units_frozen for s in trace.steps)
    assert all(bool(np.all(s.drelu_column_zero[k][s.dead[k]])) for s in trace.steps for k in range(2))
    assert not any(layer == 0 for _, layer, _ in trace.revived)


def test_counts_and_frozen_columns_against_an_independent_run():
    trace = trace_dead_units("default", steps=12, learning_rate=20.0)  # a too-large rate kills units
    run = NetworkRun("default", learning_rate=20.0)
    for recorded in trace.steps:
        w_before = [d.weights.copy() for d in run.network.dense_layers]
        b_before = [d.biases.copy() for d in run.network.dense_layers]
        run.train_step()
        for k in range(2):
            z = run.network.relu_layers[k].inputs  # the pass before the update, as the trace records
            dead = relu_stats(z).dead
            assert np.array_equal(recorded.dead[k], dead) and recorded.dead_count[k] == int(dead.sum())
            w_after, b_after = run.network.dense_layers[k].weights, run.network.dense_layers[k].biases
            for unit in range(dead.size):
                unchanged = (w_after[:, unit].tobytes() == w_before[k][:, unit].tobytes()
                             and b_after[:, unit].tobytes() == b_before[k][:, unit].tobytes())
                assert bool(recorded.frozen[k][unit]) == unchanged
                if dead[unit]:
                    assert unchanged, f"step {recorded.step}: dead unit {unit} of ReLU {k + 1} moved"
    assert trace.counts(0)[0] < trace.counts(0)[-1]  # units died during training
    # The check bites: a unit that passed gradient had its weights changed by the step.
    assert any(not bool(np.all(s.frozen[k])) for s in trace.steps for k in range(2))


def test_revivals_are_measured_not_assumed():
    trace = trace_dead_units("default", steps=12, learning_rate=20.0)
    assert trace.revived  # with this seed and rate, ReLU 2 units die and come back
    for step, layer, unit in trace.revived:
        before = trace.steps[step - 1]
        after = trace.steps[step]
        assert bool(before.dead[layer][unit]) and not bool(after.dead[layer][unit])
    # Only deeper layers can revive: ReLU 1's inputs are the fixed data (whole-dataset batches here).
    assert all(layer > 0 for _, layer, _ in trace.revived)


def test_steps_must_be_positive():
    with pytest.raises(ValueError, match="at least 1 step"):
        trace_dead_units("dead", steps=0)


def test_passed_percent_text_counts_samples():
    assert passed_percent_text(250 / 300, 300) == (
        "83% passed: for 250 of 300 samples z <= 0 was False here, so their gradient went through; "
        "50 were blocked.")
    assert passed_percent_text(1 / 300, 300).startswith("<1% passed: for 1 of 300")
    assert passed_percent_text(299 / 300, 300).startswith(">99% passed: for 299 of 300")
    run = NetworkRun("dead")
    rec = run.evaluate()
    for unit, fraction in enumerate(rec.relu[0].pass_fraction):
        z_column = rec.relus[0].inputs[:, unit]
        passed = int(np.count_nonzero(~(z_column <= 0)))  # counted from z itself
        text = passed_percent_text(float(fraction), rec.batch_size)
        assert f"for {passed} of {rec.batch_size} samples" in text
        assert f"; {rec.batch_size - passed} were blocked." in text
    assert passed_percent_text(float(rec.relu[0].pass_fraction[2]), rec.batch_size).startswith("0% passed: for 0 of")


def test_frozen_means_same_bits_per_column():
    from reluviz.core.teaching.dead_units import _columns_unchanged

    before = np.array([[1.0, 0.0, 2.0], [3.0, 4.0, 5.0]])
    after = before.copy()
    after[0, 1] = -0.0  # equal as a number, not as bits: a change
    after[1, 2] = 5.000000000000001
    assert _columns_unchanged(before, after).tolist() == [True, False, False]
