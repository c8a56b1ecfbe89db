"""reluviz: see backpropagation through ReLU.

The two lines every from-scratch backprop course shows::

    drelu = dvalues.copy()
    drelu[z <= 0] = 0

reluviz makes them visible and playable: editable heatmaps of ``z`` and ``dvalues``, the mask
and ``drelu`` recomputed live, a network animation of gradient flow, and exports for slides.

From Python
-----------
show(z, dvalues, *, inclusive=True)
    Open the explorer on your arrays (lists, NumPy arrays, PyTorch tensors). From a script it
    waits until the window is closed; in IPython or Jupyter it returns the window at once and
    the kernel stays responsive (Qt's event loop runs between cells, as after ``%gui qt``).
figure(z, dvalues, view="arrays", ...)
    A picture that shows inline in Jupyter and ``.save(path)`` writes as PNG, SVG or PDF.
    Needs no display.
export(output, z=None, dvalues=None, ...)
    What the ``reluviz export`` command writes, including the network animation.
relu_backward(z, dvalues, inclusive=True)
    The book's two lines as a function (:func:`reluviz.core.relu_backward`): same values,
    dtype, shape and errors, on a copy.

Arrays with more than two dimensions are shown as 2-D (last axis as columns, the leading axes
flattened into rows) and the title says so.

Examples
--------
>>> import reluviz
>>> reluviz.relu_backward([[1.0, -2.0, 0.0]], [[3.0, 4.0, 5.0]])
array([[3., 0., 0.]])
>>> reluviz.relu_backward([[1.0, -2.0, 0.0]], [[3.0, 4.0, 5.0]], inclusive=False)
array([[3., 0., 5.]])
>>> reluviz.figure([[1.0, -2.0]], [[3.0, 4.0]]).size
(1280, 720)

Importing this package imports no Qt (PySide6 is imported when a window or a picture is made),
so ``reluviz --version`` and the pure maths in :mod:`reluviz.core` stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - the names __getattr__ serves, for type checkers
    from reluviz.api import ArraysFigure, export, figure, show
    from reluviz.core.relu import relu_backward

from reluviz._version import __version__

__all__ = ["ArraysFigure", "__version__", "export", "figure", "relu_backward", "show"]

_API_NAMES = frozenset({"ArraysFigure", "export", "figure", "show"})


def __getattr__(name: str) -> Any:
    # Loaded on first use: `import reluviz` (and so `reluviz --version`) imports neither Qt nor
    # NumPy; reluviz.api itself imports Qt only inside its functions.
    if name == "relu_backward":
        from reluviz.core.relu import relu_backward

        return relu_backward
    if name in _API_NAMES:
        from reluviz import api

        return getattr(api, name)
    raise AttributeError(f"module 'reluviz' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _API_NAMES | {"relu_backward"})
