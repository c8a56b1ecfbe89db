"""A small nnfs network (Dense → ReLU → … → Dense → Softmax + cross-entropy), recorded for display.

Each layer is the book's class, one backward rule per line, and every ``forward``/``backward``
keeps the tensors it saw (``inputs``, ``output``, ``dvalues``, ``dinputs``, ``dweights``,
``dbiases``) so the network view and the tests can show and check them. The ReLU backward *is*
:func:`reluviz.core.relu.relu_backward` — the book's ``drelu = dvalues.copy(); drelu[z <= 0] = 0``.

Book mode follows ``nnfs.init()``: float32 arrays, every ``np.dot`` computed in float64 and cast
back to float32, and one ``RandomState(0)`` consumed in the book's order (the spiral data, then the
weights of each ``Layer_Dense`` in turn, ``0.01 * randn``). It uses a private generator, so global
NumPy state is never touched, and gives the same numbers as the book (first loss 1.0986104, accuracy
0.34).

No Qt here: this module is plain NumPy.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from reluviz.core.network.layers import DenseLayer, Layer, ReLULayer, SoftmaxCrossEntropy, dot_book, dot_plain
from reluviz.core.network.record import LayerRecord, PassRecord, relu_stats

__all__ = ["Network"]


class Network:
    """Dense → ReLU → … → Dense → Softmax + cross-entropy, recording every tensor.

    Parameters
    ----------
    weights, biases : sequence of numpy.ndarray
        One ``(n_in, n_out)`` / ``(1, n_out)`` pair per dense layer; a ReLU follows every dense
        layer but the last.
    book_dot : bool, default False
        Compute every ``np.dot`` in float64 and return float32, as ``nnfs.init()`` does.
    """

    def __init__(
        self,
        weights: Sequence[np.ndarray],
        biases: Sequence[np.ndarray],
        book_dot: bool = False,
    ) -> None:
        if len(weights) != len(biases) or not weights:
            raise ValueError("need one bias per weight matrix and at least one dense layer")
        dot = dot_book if book_dot else dot_plain
        self.layers: list[Layer] = []
        for i, (w, b) in enumerate(zip(weights, biases, strict=True)):
            self.layers.append(DenseLayer(w, b, name=f"Dense {i + 1}", dot=dot))
            if i < len(weights) - 1:
                self.layers.append(ReLULayer(name=f"ReLU {i + 1}"))
        self.loss_activation = SoftmaxCrossEntropy()
        self.loss: np.floating | None = None

    @property
    def dense_layers(self) -> list[DenseLayer]:
        """The dense layers in forward order."""
        return [layer for layer in self.layers if isinstance(layer, DenseLayer)]

    @property
    def relu_layers(self) -> list[ReLULayer]:
        """The ReLU layers in forward order."""
        return [layer for layer in self.layers if isinstance(layer, ReLULayer)]

    @property
    def sizes(self) -> tuple[int, ...]:
        """Units per column: inputs, then each dense layer's outputs."""
        dense = self.dense_layers
        return (dense[0].weights.shape[0], *(d.weights.shape[1] for d in dense))

    def forward(self, x: np.ndarray, y: np.ndarray) -> np.floating:
        """Run the forward pass on ``x`` and return the mean loss against labels ``y``."""
        out = x
        for layer in self.layers:
            out = layer.forward(out)
        self.loss = self.loss_activation.forward(out, y)
        return self.loss

    def backward(self, y: np.ndarray) -> np.ndarray:
        """Run the backward pass (after :meth:`forward`); return the gradient w.r.t. the inputs."""
        out = self.loss_activation.output
        assert out is not None, "forward() must run before backward()"
        d = self.loss_activation.backward(out, y)
        for layer in reversed(self.layers):
            d = layer.backward(d)
        return d

    def sgd_update(self, learning_rate: float) -> None:
        """The book's ``Optimizer_SGD.update_params`` on every dense layer."""
        for layer in self.dense_layers:
            assert layer.dweights is not None and layer.dbiases is not None
            layer.weights = layer.weights + -learning_rate * layer.dweights
            layer.biases = layer.biases + -learning_rate * layer.dbiases

    def record(self, x: np.ndarray, y: np.ndarray, sample_ids: np.ndarray, step: int) -> PassRecord:
        """Copy what the last forward + backward saw into a :class:`PassRecord`."""
        records: list[LayerRecord] = []
        for i, layer in enumerate([*self.layers, self.loss_activation]):
            assert layer.inputs is not None and layer.output is not None
            assert layer.dvalues is not None and layer.dinputs is not None
            extra = {}
            if isinstance(layer, DenseLayer):
                assert layer.dweights is not None and layer.dbiases is not None
                extra = {
                    "weights": layer.weights.copy(),
                    "biases": layer.biases.copy(),
                    "dweights": layer.dweights.copy(),
                    "dbiases": layer.dbiases.copy(),
                }
            records.append(
                LayerRecord(
                    index=i,
                    name=layer.name,
                    kind=layer.kind,
                    inputs=layer.inputs.copy(),
                    output=layer.output.copy(),
                    dvalues=layer.dvalues.copy(),
                    dinputs=layer.dinputs.copy(),
                    **extra,
                )
            )
        probs = self.loss_activation.output
        assert probs is not None and self.loss is not None
        predictions = np.argmax(probs, axis=1)
        return PassRecord(
            layers=tuple(records),
            x=x.copy(),
            y=y.copy(),
            sample_ids=np.asarray(sample_ids).copy(),
            loss=float(self.loss),
            accuracy=float(np.mean(predictions == y)),
            predictions=predictions,
            relu=tuple(relu_stats(r.inputs) for r in records if r.kind == "relu"),
            step=step,
            learning_rate=None,
            new_weights=tuple(r.weights for r in records if r.weights is not None),
            new_biases=tuple(r.biases for r in records if r.biases is not None),
        )

