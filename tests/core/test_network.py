"""The recorded network: gradient check, ReLU identity, dead units, presets and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from reluviz.core.network import (
    PRESETS,
    Network,
    NetworkPreset,
    NetworkRun,
    build_network,
    relu_stats,
)
from reluviz.core.network.spiral import spiral_data
from reluviz.core.relu import relu_backward


def _loss(net: Network, x: np.ndarray, y: np.ndarray) -> float:
    return float(net.forward(x, y))


def test_gradient_check_against_central_differences() -> None:
    """Every dW, db and dL/dx of a float64 2-6-6-3 network matches central finite differences."""
    net, x, y, _ = build_network(PRESETS["default"], seed=3)
    ids = np.arange(7, 300, 23)  # 13 samples from every class, none at the origin (z = 0 kink)
    xb, yb = x[ids].copy(), y[ids]
    net.forward(xb, yb)
    dx = net.backward(yb)
    eps = 1e-6
    checked = 0
    for layer in net.dense_layers:
        for param, grad in ((layer.weights, layer.dweights), (layer.biases, layer.dbiases)):
            assert grad is not None
            grad = grad.copy()
            for idx in np.ndindex(param.shape):
                old = param[idx]
                param[idx] = old + eps
                up = _loss(net, xb, yb)
                param[idx] = old - eps
                down = _loss(net, xb, yb)
                param[idx] = old
                numeric = (up - down) / (2 * eps)
                assert grad[idx] == pytest.approx(numeric, rel=1e-5, abs=1e-9), (layer.name, idx)
                checked += 1
    for idx in np.ndindex(xb.shape):
        old = xb[idx]
        xb[idx] = old + eps
        up = _loss(net, xb, yb)
        xb[idx] = old - eps
        down = _loss(net, xb, yb)
        xb[idx] = old
        assert dx[idx] == pytest.approx((up - down) / (2 * eps), rel=1e-5, abs=1e-9)
    assert checked == 2 * 6 + 6 + 6 * 6 + 6 + 6 * 3 + 3


def test_backward_matches_an_independent_formulation() -> None:
    """Backward against np.where / explicit one-hot formulas written independently."""
    run = NetworkRun("default", seed=1)
    rec = run.evaluate()
    d1, r1, _d2, r2, d3, sm = rec.layers
    onehot = np.eye(3)[rec.y]
    np.testing.assert_allclose(sm.dinputs, (sm.output - onehot) / len(rec.y), rtol=1e-12)
    np.testing.assert_allclose(d3.dinputs, sm.dinputs @ d3.weights.T, rtol=1e-12)
    np.testing.assert_array_equal(r2.dinputs, np.where(r2.inputs > 0, r2.dvalues, 0.0))
    np.testing.assert_allclose(d1.dweights, rec.x.T @ r1.dinputs, rtol=1e-12)
    np.testing.assert_allclose(d1.dbiases, r1.dinputs.sum(axis=0, keepdims=True), rtol=1e-12)


@pytest.mark.parametrize("key", sorted(PRESETS))
def test_relu_backward_identity_with_layer_dinputs(key: str) -> None:
    """Each ReLU layer's inputs and dvalues, through relu_backward, give its dinputs (bytes)."""
    run = NetworkRun(key, seed=0)
    rec = run.evaluate()
    for i, layer in enumerate(run.network.relu_layers):
        z, dvalues = layer.inputs.copy(), layer.dvalues.copy()
        assert z.shape == dvalues.shape == (rec.batch_size, layer.inputs.shape[1])
        out = relu_backward(z, dvalues)
        assert layer.dinputs is not None
        assert out.dtype == layer.dinputs.dtype
        assert out.shape == layer.dinputs.shape
        assert out.tobytes() == layer.dinputs.tobytes()
        assert out.tobytes() == rec.relus[i].dinputs.tobytes()


def test_dead_unit_preset_flags_the_dead_unit() -> None:
    """The dead preset's ReLU 1 unit 3 blocks every sample, and stays dead while training."""
    run = NetworkRun("dead", seed=0)
    for _ in range(5):
        rec = run.train_step()
        stats = rec.relu[0]
        assert stats.dead[2]
        assert stats.pass_fraction[2] == 0.0
        assert stats.dead_count == int(stats.dead.sum()) >= 1
    default = NetworkRun("default", seed=0).evaluate().relu[0]
    assert not default.dead[2]
    assert (
        run.evaluate().relu[0].dead_count
        == NetworkRun("dead", seed=0).evaluate().relu[0].dead_count
    )


def test_relu_stats_counts() -> None:
    z = np.array([[1.0, -1.0, 0.0], [2.0, -3.0, 0.0], [-1.0, -2.0, 0.0], [1.0, -1.0, np.nan]])
    s = relu_stats(z)
    np.testing.assert_array_equal(s.pass_fraction, [0.75, 0.0, 0.25])  # NaN <= 0 is False: passes
    np.testing.assert_array_equal(s.dead, [False, True, False])
    assert (s.dead_count, s.blocked, s.total) == (1, 8, 12)


def test_training_lowers_the_loss_and_batches_cycle() -> None:
    run = NetworkRun("default", seed=0, batch_size=60, learning_rate=1.0)
    assert len(run.batch_ids()) == 60
    seen = np.concatenate([run.batch_ids(k) for k in range(5)])
    assert sorted(seen.tolist()) == list(range(300))
    first = run.evaluate().loss
    for _ in range(200):
        run.train_step()
    assert run.step == 200 and len(run.loss_history) == 200
    assert run.evaluate().loss < first


def test_train_step_record_carries_the_update() -> None:
    run = NetworkRun("book")
    rec = run.train_step()
    assert rec.learning_rate == 1.0
    for d, w in zip(rec.dense, rec.new_weights, strict=True):
        assert d.weights is not None and d.dweights is not None
        np.testing.assert_array_equal(w, d.weights + -1.0 * d.dweights)
        assert w.dtype == np.float32


def test_core_does_not_touch_global_random_state() -> None:
    np.random.seed(123)  # noqa: NPY002 - the global state is what this test guards
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    NetworkRun("book").train_step()
    NetworkRun("default", batch_size=32).train_step()
    assert np.array_equal(np.random.get_state()[1], before)  # noqa: NPY002


def test_spiral_shapes_and_dtypes() -> None:
    x, y = spiral_data(10, 4, dtype=np.float64)
    assert x.shape == (40, 2) and x.dtype == np.float64 and y.dtype == np.uint8
    assert np.all(np.abs(x) <= 1.0)
    assert np.bincount(y).tolist() == [10] * 4
    with pytest.raises(ValueError, match="samples"):
        spiral_data(0, 3)


def test_bad_presets_are_refused() -> None:
    with pytest.raises(ValueError, match="per class"):
        build_network(NetworkPreset("x", "x", (2, 4, 2)))
    with pytest.raises(ValueError, match="at least"):
        build_network(NetworkPreset("x", "x", (3,)))
    with pytest.raises(ValueError, match="bias"):
        Network([np.zeros((2, 3))], [])


def test_dead_preset_title_names_its_dead_unit_counting_from_zero() -> None:
    """The title said "ReLU 1 unit 3" for dead_units ((0, 2),): column 2 of z, unit 2 everywhere else."""
    preset = PRESETS["dead"]
    ((relu_index, unit),) = preset.dead_units
    assert f"ReLU {relu_index + 1} unit {unit} dead" in preset.title
    rec = NetworkRun("dead", seed=0).evaluate()
    z = rec.relus[relu_index].inputs
    assert np.flatnonzero(rec.relu[relu_index].dead).tolist() == [unit]
    assert np.all(z[:, unit] <= 0)
