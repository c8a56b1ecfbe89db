"""Book mode against the book itself: nnfs.init() + the chapter-9 code, run in a subprocess.

nnfs monkeypatches NumPy globally (np.dot, np.zeros, np.random.randn), so it is only ever imported
in a child interpreter; the tensors come back as .npy files.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from reluviz.core.network import NetworkRun
from reluviz.core.network.spiral import spiral_data

pytestmark = pytest.mark.slow

_BOOK_CHAPTER_9 = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import numpy as np
    import nnfs
    from nnfs.datasets import spiral_data

    nnfs.init()
    out = Path(sys.argv[1])


    class Layer_Dense:
        def __init__(self, n_inputs, n_neurons):
            self.weights = 0.01 * np.random.randn(n_inputs, n_neurons)
            self.biases = np.zeros((1, n_neurons))

        def forward(self, inputs):
            self.inputs = inputs
            self.output = np.dot(inputs, self.weights) + self.biases

        def backward(self, dvalues):
            self.dweights = np.dot(self.inputs.T, dvalues)
            self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
            self.dinputs = np.dot(dvalues, self.weights.T)


    class Activation_ReLU:
        def forward(self, inputs):
            self.inputs = inputs
            self.output = np.maximum(0, inputs)

        def backward(self, dvalues):
            self.dinputs = dvalues.copy()
            self.dinputs[self.inputs <= 0] = 0


    class Activation_Softmax:
        def forward(self, inputs):
            exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
            probabilities = exp_values / np.sum(exp_values, axis=1, keepdims=True)
            self.output = probabilities


    class Loss:
        def calculate(self, output, y):
            sample_losses = self.forward(output, y)
            data_loss = np.mean(sample_losses)
            return data_loss


    class Loss_CategoricalCrossentropy(Loss):
        def forward(self, y_pred, y_true):
            samples = len(y_pred)
            y_pred_clipped = np.clip(y_pred, 1e-7, 1 - 1e-7)
            if len(y_true.shape) == 1:
                correct_confidences = y_pred_clipped[range(samples), y_true]
            elif len(y_true.shape) == 2:
                correct_confidences = np.sum(y_pred_clipped * y_true, axis=1)
            negative_log_likelihoods = -np.log(correct_confidences)
            return negative_log_likelihoods


    class Activation_Softmax_Loss_CategoricalCrossentropy:
        def __init__(self):
            self.activation = Activation_Softmax()
            self.loss = Loss_CategoricalCrossentropy()

        def forward(self, inputs, y_true):
            self.activation.forward(inputs)
            self.output = self.activation.output
            return self.loss.calculate(self.output, y_true)

        def backward(self, dvalues, y_true):
            samples = len(dvalues)
            if len(y_true.shape) == 2:
                y_true = np.argmax(y_true, axis=1)
            self.dinputs = dvalues.copy()
            self.dinputs[range(samples), y_true] -= 1
            self.dinputs = self.dinputs / samples


    X, y = spiral_data(samples=100, classes=3)
    dense1 = Layer_Dense(2, 3)
    activation1 = Activation_ReLU()
    dense2 = Layer_Dense(3, 3)
    loss_activation = Activation_Softmax_Loss_CategoricalCrossentropy()

    dense1.forward(X)
    activation1.forward(dense1.output)
    dense2.forward(activation1.output)
    loss = loss_activation.forward(dense2.output, y)
    predictions = np.argmax(loss_activation.output, axis=1)
    accuracy = np.mean(predictions == y)

    loss_activation.backward(loss_activation.output, y)
    dense2.backward(loss_activation.dinputs)
    activation1.backward(dense2.dinputs)
    dense1.backward(activation1.dinputs)

    tensors = {
        "X": X, "y": y,
        "w1": dense1.weights, "b1": dense1.biases, "w2": dense2.weights, "b2": dense2.biases,
        "z1": dense1.output, "a1": activation1.output, "z2": dense2.output,
        "softmax": loss_activation.output, "loss": np.asarray(loss),
        "accuracy": np.asarray(accuracy),
        "dz2": loss_activation.dinputs, "dw2": dense2.dweights, "db2": dense2.dbiases,
        "da1": dense2.dinputs, "dz1": activation1.dinputs,
        "dw1": dense1.dweights, "db1": dense1.dbiases, "dx": dense1.dinputs,
    }
    for name, value in tensors.items():
        np.save(out / f"{name}.npy", value, allow_pickle=False)
    print("loss:", loss, "acc:", accuracy)
    """
)


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> dict[str, np.ndarray]:
    _need_nnfs()
    folder = tmp_path_factory.mktemp("book")
    script = folder / "chapter9.py"
    script.write_text(_BOOK_CHAPTER_9, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(folder)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "loss: 1.0986104 acc: 0.34" in done.stdout
    return {p.stem: np.load(p, allow_pickle=False) for p in Path(folder).glob("*.npy")}


def _need_nnfs() -> None:
    # Like pytest.importorskip, but without importing nnfs into this process.
    if importlib.util.find_spec("nnfs") is None:
        pytest.skip("nnfs (the book's package, test extra) is needed for the oracle")


def _same(ours: np.ndarray, theirs: np.ndarray) -> None:
    assert ours.shape == theirs.shape
    assert ours.dtype == theirs.dtype
    # Identical operations in the same order: equal to float32 rounding (in practice bit for bit).
    np.testing.assert_array_max_ulp(ours, theirs, maxulp=2)


def test_book_mode_reproduces_chapter_9(book: dict[str, np.ndarray]) -> None:
    run = NetworkRun("book", seed=0)
    rec = run.evaluate()
    d1, r1, d2, sm = rec.layers
    assert d1.weights is not None and d2.weights is not None
    assert d1.dweights is not None and d1.dbiases is not None
    assert d2.dweights is not None and d2.dbiases is not None
    np.testing.assert_array_equal(rec.y, book["y"])
    pairs = {
        "X": rec.x,
        "w1": d1.weights,
        "b1": d1.biases,
        "w2": d2.weights,
        "b2": d2.biases,
        "z1": d1.output,
        "a1": r1.output,
        "z2": d2.output,
        "softmax": sm.output,
        "dz2": sm.dinputs,
        "dw2": d2.dweights,
        "db2": d2.dbiases,
        "da1": d2.dinputs,
        "dz1": r1.dinputs,
        "dw1": d1.dweights,
        "db1": d1.dbiases,
        "dx": d1.dinputs,
    }
    for name, ours in pairs.items():
        _same(ours, book[name])
    # The ReLU mask is exact.
    np.testing.assert_array_equal(r1.inputs <= 0, book["z1"] <= 0)
    assert np.float32(rec.loss) == book["loss"]
    assert rec.loss == pytest.approx(1.0986104, abs=5e-8)
    assert rec.accuracy == float(book["accuracy"]) == 0.34


def test_spiral_data_matches_nnfs_without_init(tmp_path: Path) -> None:
    _need_nnfs()
    code = (
        "import sys, numpy as np\n"
        "from nnfs.datasets import spiral_data\n"
        "np.random.seed(7)\n"
        "X, y = spiral_data(samples=50, classes=4)\n"
        "np.save(sys.argv[1] + '/X.npy', X); np.save(sys.argv[1] + '/y.npy', y)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    x, y = spiral_data(50, 4, random_state=np.random.RandomState(7), dtype=np.float64)
    assert x.tobytes() == np.load(tmp_path / "X.npy").tobytes()
    assert y.tobytes() == np.load(tmp_path / "y.npy").tobytes()


def test_book_mode_never_imports_nnfs() -> None:
    NetworkRun("book").train_step()
    assert "nnfs" not in sys.modules
