"""The maths of reluviz in plain NumPy: no Qt is ever imported below this package."""

from reluviz.core.relu import blocked_mask, relu_backward, relu_backward_into

__all__ = ["blocked_mask", "relu_backward", "relu_backward_into"]
