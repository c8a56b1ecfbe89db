"""reluviz: see backpropagation through ReLU.

The two lines every from-scratch backprop course shows::

    drelu = dvalues.copy()
    drelu[z <= 0] = 0

reluviz makes them visible and playable. Importing this package imports no Qt, so
``reluviz --version`` and the pure maths in :mod:`reluviz.core` stay fast.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
