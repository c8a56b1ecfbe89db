"""The book's layers — ``Layer_Dense``, ``Activation_ReLU`` and softmax + cross-entropy — recording what they saw.

Every ``forward``/``backward`` keeps the tensors it saw (``inputs``, ``output``, ``dvalues``,
``dinputs``, ``dweights``, ``dbiases``) so the network view and the tests can show and check them.
The ReLU backward *is* :func:`reluviz.core.relu.relu_backward` — the book's
``drelu = dvalues.copy(); drelu[z <= 0] = 0``.

Book mode (``nnfs.init()``) computes every ``np.dot`` in float64 and casts back to float32:
:func:`dot_book`.

No Qt here: this module is plain NumPy.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from reluviz.core.relu import relu_backward

__all__ = ["DenseLayer", "DotFn", "Layer", "ReLULayer", "SoftmaxCrossEntropy", "dot_book", "dot_plain"]

DotFn = Callable[[np.ndarray, np.ndarray], np.ndarray]


def dot_plain(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.dot(a, b)


def dot_book(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    # nnfs.init(): np.dot = lambda *args: orig_dot(*[a.astype('float64') ...]).astype('float32')
    return np.dot(a.astype(np.float64), b.astype(np.float64)).astype(np.float32)


class DenseLayer:
    """The book's ``Layer_Dense``: ``output = inputs · weights + biases``.

    Parameters
    ----------
    weights : numpy.ndarray
        ``(n_inputs, n_neurons)``.
    biases : numpy.ndarray
        ``(1, n_neurons)``.
    name : str
        Display name, e.g. ``"Dense 1"``.
    dot : callable, optional
        The matrix product; book mode passes the nnfs float64-then-float32 product.
    """

    kind = "dense"

    def __init__(
        self, weights: np.ndarray, biases: np.ndarray, name: str = "Dense", dot: DotFn = dot_plain
    ) -> None:
        self.weights = weights
        self.biases = biases
        self.name = name
        self._dot = dot
        self.inputs: np.ndarray | None = None
        self.output: np.ndarray | None = None
        self.dvalues: np.ndarray | None = None
        self.dweights: np.ndarray | None = None
        self.dbiases: np.ndarray | None = None
        self.dinputs: np.ndarray | None = None

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """Compute and record ``inputs · weights + biases``."""
        self.inputs = inputs
        self.output = self._dot(inputs, self.weights) + self.biases
        return self.output

    def backward(self, dvalues: np.ndarray) -> np.ndarray:
        """Record the gradients of the parameters and inputs; return ``dinputs``."""
        assert self.inputs is not None, "forward() must run before backward()"
        self.dvalues = dvalues
        self.dweights = self._dot(self.inputs.T, dvalues)  # dL/dW = xᵀ · dvalues
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)  # dL/db = Σ over the batch
        self.dinputs = self._dot(dvalues, self.weights.T)  # dL/dx = dvalues · Wᵀ
        return self.dinputs


class ReLULayer:
    """The book's ``Activation_ReLU``; its backward is :func:`~reluviz.core.relu.relu_backward`.

    Parameters
    ----------
    name : str
        Display name, e.g. ``"ReLU 1"``.
    """

    kind = "relu"

    def __init__(self, name: str = "ReLU") -> None:
        self.name = name
        self.inputs: np.ndarray | None = None
        self.output: np.ndarray | None = None
        self.dvalues: np.ndarray | None = None
        self.dinputs: np.ndarray | None = None

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """Record ``z`` and compute ``max(0, z)``."""
        self.inputs = inputs
        self.output = np.maximum(0, inputs)
        return self.output

    def backward(self, dvalues: np.ndarray) -> np.ndarray:
        """``drelu = dvalues.copy(); drelu[z <= 0] = 0`` — the gradient stops where ``z <= 0``."""
        assert self.inputs is not None, "forward() must run before backward()"
        self.dvalues = dvalues
        self.dinputs = relu_backward(self.inputs, dvalues)
        return self.dinputs


class SoftmaxCrossEntropy:
    """The book's ``Activation_Softmax_Loss_CategoricalCrossentropy`` (integer labels)."""

    kind = "softmax_cce"

    def __init__(self, name: str = "Softmax + loss") -> None:
        self.name = name
        self.inputs: np.ndarray | None = None
        self.output: np.ndarray | None = None
        self.sample_losses: np.ndarray | None = None
        self.dvalues: np.ndarray | None = None
        self.dinputs: np.ndarray | None = None

    def forward(self, inputs: np.ndarray, y_true: np.ndarray) -> np.floating:
        """Softmax, then the mean categorical cross-entropy; returns the batch loss."""
        self.inputs = inputs
        exp_values = np.exp(inputs - np.max(inputs, axis=1, keepdims=True))
        self.output = exp_values / np.sum(exp_values, axis=1, keepdims=True)
        samples = len(self.output)
        clipped = np.clip(self.output, 1e-7, 1 - 1e-7)
        correct_confidences = clipped[range(samples), y_true]
        self.sample_losses = -np.log(correct_confidences)
        return np.mean(self.sample_losses)

    def backward(self, dvalues: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        """``dinputs = (softmax − one_hot(y)) / N`` as the book writes it."""
        samples = len(dvalues)
        self.dvalues = dvalues
        dinputs = dvalues.copy()
        dinputs[range(samples), y_true] -= 1
        self.dinputs = dinputs / samples
        return self.dinputs


Layer = DenseLayer | ReLULayer
