"""The network: a small nnfs network (Dense → ReLU → … → Dense → Softmax + cross-entropy), recorded for display.

How the layers keep what they saw and how book mode matches ``nnfs.init()`` is told once, in
:mod:`~reluviz.core.network.model`.

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
