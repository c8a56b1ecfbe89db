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

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from reluviz.core.relu import relu_backward
from reluviz.core.spiral import spiral_data

__all__ = [
    "PRESETS",
    "DenseLayer",
    "LayerRecord",
    "Network",
    "NetworkPreset",
    "NetworkRun",
    "PassRecord",
    "ReLULayer",
    "ReluStats",
    "SoftmaxCrossEntropy",
    "build_network",
    "relu_stats",
]

DotFn = Callable[[np.ndarray, np.ndarray], np.ndarray]


def _dot_plain(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.dot(a, b)


def _dot_book(a: np.ndarray, b: np.ndarray) -> np.ndarray:
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
        self, weights: np.ndarray, biases: np.ndarray, name: str = "Dense", dot: DotFn = _dot_plain
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


@dataclass(frozen=True)
class ReluStats:
    """Whole-batch gate statistics of one ReLU layer.

    Attributes
    ----------
    pass_fraction : numpy.ndarray
        ``(units,)`` fraction of samples whose gradient passed (``z > 0``) at each unit.
    dead : numpy.ndarray
        ``(units,)`` bool, True where the unit blocked the gradient for every sample.
    dead_count : int
        ``dead.sum()``.
    blocked : int
        Number of blocked gradients in the batch (``(z <= 0).sum()``).
    total : int
        ``z.size``.
    """

    pass_fraction: np.ndarray
    dead: np.ndarray
    dead_count: int
    blocked: int
    total: int


def relu_stats(z: np.ndarray) -> ReluStats:
    """Return the whole-batch :class:`ReluStats` of a ReLU layer whose inputs were ``z``.

    Parameters
    ----------
    z : numpy.ndarray
        ``(batch, units)`` inputs of the ReLU.
    """
    passed = ~(np.asarray(z) <= 0)
    n = max(passed.shape[0], 1)
    fraction = passed.sum(axis=0) / n
    dead = ~passed.any(axis=0)
    return ReluStats(
        pass_fraction=fraction,
        dead=dead,
        dead_count=int(dead.sum()),
        blocked=int(passed.size - passed.sum()),
        total=int(passed.size),
    )


@dataclass(frozen=True)
class LayerRecord:
    """Copies of every tensor one layer saw in a forward + backward pass.

    Attributes
    ----------
    index : int
        Position in :attr:`Network.layers` (the loss layer comes last).
    name, kind : str
        ``"Dense 1"`` / ``"dense"``, ``"ReLU 1"`` / ``"relu"``,
        ``"Softmax + loss"`` / ``"softmax_cce"``.
    inputs, output, dvalues, dinputs : numpy.ndarray
        For a ReLU ``inputs`` is ``z``; for the loss layer ``output`` is the softmax.
    weights, biases, dweights, dbiases : numpy.ndarray or None
        Dense layers only (``weights``/``biases`` as used in the pass, before any update).
    """

    index: int
    name: str
    kind: str
    inputs: np.ndarray
    output: np.ndarray
    dvalues: np.ndarray
    dinputs: np.ndarray
    weights: np.ndarray | None = None
    biases: np.ndarray | None = None
    dweights: np.ndarray | None = None
    dbiases: np.ndarray | None = None


@dataclass(frozen=True)
class PassRecord:
    """One forward + backward pass (and optionally its SGD update) with every tensor copied.

    Attributes
    ----------
    layers : tuple of LayerRecord
        In forward order, the loss layer last.
    x, y : numpy.ndarray
        The batch and its labels.
    sample_ids : numpy.ndarray
        Indices of the batch rows in the whole dataset.
    loss, accuracy : float
        Batch loss (as the network's dtype computed it) and accuracy.
    predictions : numpy.ndarray
        ``argmax`` of the softmax per sample.
    relu : tuple of ReluStats
        Whole-batch gate statistics per ReLU layer.
    step : int
        Train steps taken before this pass.
    learning_rate : float or None
        Set when the pass ended with an SGD update.
    new_weights, new_biases : tuple of numpy.ndarray
        Dense parameters after the update (equal to the pass's own when there was none).
    """

    layers: tuple[LayerRecord, ...]
    x: np.ndarray
    y: np.ndarray
    sample_ids: np.ndarray
    loss: float
    accuracy: float
    predictions: np.ndarray
    relu: tuple[ReluStats, ...]
    step: int
    learning_rate: float | None
    new_weights: tuple[np.ndarray, ...]
    new_biases: tuple[np.ndarray, ...]

    @property
    def batch_size(self) -> int:
        """Rows in the batch."""
        return int(self.x.shape[0])

    @property
    def dense(self) -> tuple[LayerRecord, ...]:
        """The dense layer records in forward order."""
        return tuple(r for r in self.layers if r.kind == "dense")

    @property
    def relus(self) -> tuple[LayerRecord, ...]:
        """The ReLU layer records in forward order."""
        return tuple(r for r in self.layers if r.kind == "relu")

    @property
    def loss_layer(self) -> LayerRecord:
        """The softmax + cross-entropy record."""
        return self.layers[-1]


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
        dot = _dot_book if book_dot else _dot_plain
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


@dataclass(frozen=True)
class NetworkPreset:
    """A named starting point for :class:`NetworkRun`.

    Attributes
    ----------
    key, title : str
        Identifier and display title.
    sizes : tuple of int
        Units per column, inputs first, classes last (e.g. ``(2, 6, 6, 3)``).
    book : bool
        nnfs semantics: float32, float64 dot products, ``0.01 * randn`` weights, zero biases.
        Otherwise float64 with He-scaled weights (``randn * sqrt(2 / n_in)``).
    samples, classes : int
        Spiral dataset size (``samples`` points per class).
    batch_size : int or None
        ``None`` trains on the whole dataset each step.
    learning_rate : float
        SGD learning rate.
    dead_units : tuple of (int, int)
        ``(relu_index, unit)`` pairs, both 0-based (``(0, 2)`` is unit 2 — column 2 of ``z`` — of
        the layer named "ReLU 1"), whose bias is set so that ``z <= 0`` for every input.
    """

    key: str
    title: str
    sizes: tuple[int, ...]
    book: bool = False
    samples: int = 100
    classes: int = 3
    batch_size: int | None = None
    learning_rate: float = 1.0
    dead_units: tuple[tuple[int, int], ...] = field(default_factory=tuple)


PRESETS: dict[str, NetworkPreset] = {
    "book": NetworkPreset("book", "Book ch. 9 (2-3-3, float32)", (2, 3, 3), book=True),
    "default": NetworkPreset(
        "default", "Default (2-6-6-3)", (2, 6, 6, 3), batch_size=None, learning_rate=0.5
    ),
    "dead": NetworkPreset(
        "dead",
        "Dead unit (2-6-6-3, ReLU 1 unit 2 dead)",  # units count from 0, as in the arrays
        (2, 6, 6, 3),
        learning_rate=0.5,
        dead_units=((0, 2),),
    ),
}


def build_network(
    preset: NetworkPreset, seed: int = 0
) -> tuple[Network, np.ndarray, np.ndarray, np.random.RandomState]:
    """Make the spiral data and the network of ``preset`` from one ``RandomState(seed)``.

    The generator is consumed in the book's order: ``spiral_data`` first, then each dense layer's
    weights. Book preset with seed 0 reproduces ``nnfs.init()`` + the chapter-9 code exactly.

    Returns
    -------
    network : Network
    x, y : numpy.ndarray
        The whole dataset.
    random_state : numpy.random.RandomState
        The generator, left where the construction stopped (used to shuffle batches).
    """
    if len(preset.sizes) < 2 or min(preset.sizes) < 1:
        raise ValueError(f"need at least an input and an output size >= 1, got {preset.sizes}")
    if preset.sizes[-1] != preset.classes:
        raise ValueError(f"the last layer needs {preset.classes} units, one per class")
    rs = np.random.RandomState(seed)
    dtype = np.float32 if preset.book else np.float64
    x, y = spiral_data(preset.samples, preset.classes, random_state=rs, dtype=dtype)
    weights: list[np.ndarray] = []
    biases: list[np.ndarray] = []
    for n_in, n_out in zip(preset.sizes[:-1], preset.sizes[1:], strict=True):
        if preset.book:
            # nnfs.init(): randn(...).astype(float32), then 0.01 * that stays float32.
            w = 0.01 * rs.randn(n_in, n_out).astype(np.float32)
        else:
            w = rs.randn(n_in, n_out) * np.sqrt(2.0 / n_in)
        weights.append(w)
        biases.append(np.zeros((1, n_out), dtype=dtype))
    for relu_index, unit in preset.dead_units:
        # |x| <= 1 on the spiral, and every hidden activation is bounded by what feeds it, so a bias
        # below -(Σ|w| · bound) keeps z <= 0 for every sample; for ReLU 1 the bound is 1.
        if relu_index != 0:
            raise ValueError("dead units are supported in the first hidden layer only")
        w = weights[relu_index]
        biases[relu_index][0, unit] = -(np.abs(w[:, unit]).sum() + 1.0)
    return Network(weights, biases, book_dot=preset.book), x, y, rs


class NetworkRun:
    """A network being trained on the spiral data: the model the network view displays.

    Parameters
    ----------
    preset : NetworkPreset or str
        A :class:`NetworkPreset` or a key of :data:`PRESETS`.
    seed : int, default 0
        Seed of the one generator that makes the data, the weights and the batch order.
    batch_size : int or None, optional
        Overrides the preset's batch size (``None`` keeps it; ``0`` means the whole dataset).
    learning_rate : float, optional
        Overrides the preset's learning rate.
    """

    def __init__(
        self,
        preset: NetworkPreset | str = "default",
        seed: int = 0,
        batch_size: int | None = None,
        learning_rate: float | None = None,
    ) -> None:
        p = PRESETS[preset] if isinstance(preset, str) else preset
        if batch_size is not None:
            p = replace(p, batch_size=None if batch_size <= 0 else batch_size)
        if learning_rate is not None:
            p = replace(p, learning_rate=float(learning_rate))
        self.preset = p
        self.seed = seed
        self.network, self.x, self.y, rs = build_network(p, seed)
        n = len(self.x)
        # Only draw from the generator when batching, so book mode leaves it as the book does.
        self._order = rs.permutation(n) if p.batch_size and p.batch_size < n else np.arange(n)
        self.step = 0
        self.trained_learning_rates: list[float] = []
        self.loss_history: list[float] = []
        self.accuracy_history: list[float] = []

    @property
    def learning_rate(self) -> float:
        """The SGD learning rate."""
        return self.preset.learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        self.preset = replace(self.preset, learning_rate=float(value))

    def batch_ids(self, step: int | None = None) -> np.ndarray:
        """Dataset rows of the batch used at train step ``step`` (default: the current one)."""
        n = len(self.x)
        size = self.preset.batch_size or n
        size = min(size, n)
        k = self.step if step is None else step
        n_batches = max(n // size, 1)
        start = (k % n_batches) * size
        return self._order[start : start + size]

    def evaluate(self) -> PassRecord:
        """Forward + backward on the current batch, without changing the weights."""
        ids = self.batch_ids()
        x, y = self.x[ids], self.y[ids]
        self.network.forward(x, y)
        self.network.backward(y)
        return self.network.record(x, y, ids, self.step)

    def train_step(self) -> PassRecord:
        """Forward + backward on the current batch, then one SGD update; move to the next batch."""
        rec = self.evaluate()
        lr = self.preset.learning_rate
        self.network.sgd_update(lr)
        dense = self.network.dense_layers
        rec = replace(
            rec,
            learning_rate=lr,
            new_weights=tuple(d.weights.copy() for d in dense),
            new_biases=tuple(d.biases.copy() for d in dense),
        )
        self.loss_history.append(rec.loss)
        self.accuracy_history.append(rec.accuracy)
        # Training is deterministic given preset, seed and batch size: these rates replay it.
        self.trained_learning_rates.append(lr)
        self.step += 1
        return rec
