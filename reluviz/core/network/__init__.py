"""The network: a small nnfs network (Dense → ReLU → … → Dense → Softmax + cross-entropy), recorded for display.

Each layer is the book's class, one backward rule per line, and every ``forward``/``backward``
keeps the tensors it saw (``inputs``, ``output``, ``dvalues``, ``dinputs``, ``dweights``,
``dbiases``) so the network view and the tests can show and check them. The ReLU backward *is*
:func:`reluviz.core.relu.relu_backward` — the book's ``drelu = dvalues.copy(); drelu[z <= 0] = 0``.

Book mode follows ``nnfs.init()``: float32 arrays, every ``np.dot`` computed in float64 and cast
back to float32, and one ``RandomState(0)`` consumed in the book's order (the spiral data, then the
weights of each ``Layer_Dense`` in turn, ``0.01 * randn``). It uses a private generator, so global
NumPy state is never touched, and gives the same numbers as the book (first loss 1.0986104, accuracy
0.34).

The package, module by module: :mod:`~reluviz.core.network.layers` (the book's layers),
:mod:`~reluviz.core.network.model` (:class:`Network`), :mod:`~reluviz.core.network.record` (a pass
copied), :mod:`~reluviz.core.network.presets` (:data:`PRESETS`, :func:`build_network`),
:mod:`~reluviz.core.network.run` (:class:`NetworkRun`), :mod:`~reluviz.core.network.spiral` (the
data) and :mod:`~reluviz.core.network.timeline` (one pass as frames to play).

No Qt here: this package is plain NumPy.
"""

from __future__ import annotations

from reluviz.core.network.layers import DenseLayer, ReLULayer, SoftmaxCrossEntropy
from reluviz.core.network.model import Network
from reluviz.core.network.presets import PRESETS, NetworkPreset, build_network
from reluviz.core.network.record import LayerRecord, PassRecord, ReluStats, relu_stats
from reluviz.core.network.run import NetworkRun

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
