"""The ReLU backward rule: the two lines from the book, and a fast equal of them.

The book writes::

    drelu = dvalues.copy()
    drelu[z <= 0] = 0

``z <= 0`` is a boolean array shaped like ``z``; boolean indexing sets ``drelu`` to zero exactly
where the unit's input was not positive, so the gradient stops there. NumPy's comparison gives
``nan <= 0 == False``, so a NaN input lets its gradient pass.

The one switch, ``inclusive``
-----------------------------
Whether ``z == 0`` blocks is one boolean called ``inclusive`` in every Python name and parameter:
``True`` is the book's ``z <= 0``, ``False`` is ``z < 0``. Users meet it under other names, kept
for compatibility: the CLI flag ``--strict`` (``inclusive=False``), the session key
``"inclusive"``, the menu items "mask = z <= 0 (book)" / "mask = z < 0". Where the comparison is
*written* (titles, captions, sentences) its symbol comes from :func:`operator_text`: only that
symbol is an "operator" (``ExplorerModel.operator``, ``PanelData.operator``); the documents'
``inclusive`` event, ``ArraysView.toggle_inclusive``, its ``inclusive_combo`` and
``figures.code_caption(inclusive)`` all name the switch.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["blocked_mask", "operator_text", "relu_backward", "relu_backward_into"]

# The kinds for which np.where(mask, 0, dvalues) is byte-identical to the book's lines
# (signed/unsigned ints and floats). bool dvalues and object/complex/str arrays take the book path.
_FAST_KINDS = frozenset("iuf")


def operator_text(inclusive: bool) -> str:
    """The comparison as code writes it: ``"<="`` for the book's mask, ``"<"`` for the other one.

    Parameters
    ----------
    inclusive : bool
        The switch (see the module docstring).

    Returns
    -------
    str
        ``"<="`` or ``"<"``.
    """
    return "<=" if inclusive else "<"


def blocked_mask(z: np.ndarray, inclusive: bool = True) -> np.ndarray:
    """Return the boolean mask of units whose gradient is blocked.

    Parameters
    ----------
    z : numpy.ndarray
        The ReLU's inputs.
    inclusive : bool
        ``True`` gives the book's ``z <= 0``; ``False`` gives ``z < 0`` (so ``z == 0`` passes).

    Returns
    -------
    numpy.ndarray
        ``z <= 0`` or ``z < 0``, exactly as NumPy computes it (NaN compares False).
    """
    return np.less_equal(z, 0) if inclusive else np.less(z, 0)


def relu_backward(z: ArrayLike, dvalues: ArrayLike, inclusive: bool = True) -> np.ndarray:
    """Backpropagate ``dvalues`` through a ReLU whose inputs were ``z``.

    Behaves exactly like the book's two lines run on a copy: same values, dtype and shape, and
    the same NumPy errors for shapes the boolean index rejects. The inputs are never modified and
    the result never shares memory with them.

    Parameters
    ----------
    z : array_like
        The ReLU's inputs from the forward pass.
    dvalues : array_like
        The gradient arriving from the next layer.
    inclusive : bool, default True
        ``True`` blocks where ``z <= 0`` (the book); ``False`` blocks where ``z < 0``.

    Returns
    -------
    numpy.ndarray
        ``drelu``: a new array, ``dvalues`` with zeros where the gradient was blocked.

    Raises
    ------
    IndexError
        NumPy's own "boolean index did not match indexed array ..." when the mask's shape does not
        equal the dimensions it indexes (a boolean index does not broadcast).

    Examples
    --------
    >>> relu_backward([[1.0, -2.0]], [[3.0, 4.0]])
    array([[3., 0.]])
    """
    z_arr = np.asarray(z)
    d_arr = np.asarray(dvalues)
    if z_arr.shape == d_arr.shape and d_arr.dtype.kind in _FAST_KINDS and z_arr.dtype.kind in _FAST_KINDS:
        # Identical to the book for equal shapes and numeric dtypes (NaN, ±inf, -0.0 included:
        # a blocked -0.0 becomes +0, as the book's assignment of 0 does) and ~1.5x faster.
        return np.where(blocked_mask(z_arr, inclusive), d_arr.dtype.type(0), d_arr)
    drelu = d_arr.copy()
    drelu[blocked_mask(z_arr, inclusive)] = 0
    return drelu


def relu_backward_into(
    out: np.ndarray, z: np.ndarray, dvalues: np.ndarray, mask_out: np.ndarray, inclusive: bool = True
) -> None:
    """Recompute ``mask_out`` and ``out`` in place for equal-shaped numeric arrays.

    The app's whole-array recompute: it reuses the buffers it already has, so a preset or paste
    at 2048² allocates nothing. Values equal :func:`relu_backward` byte for byte.

    Parameters
    ----------
    out : numpy.ndarray
        Receives ``drelu``; same shape and dtype as ``dvalues``.
    z, dvalues : numpy.ndarray
        Equal-shaped numeric arrays.
    mask_out : numpy.ndarray
        Receives the boolean blocked mask; same shape as ``z``.
    inclusive : bool, default True
        ``z <= 0`` when True, ``z < 0`` when False.
    """
    if inclusive:
        np.less_equal(z, 0, out=mask_out)
    else:
        np.less(z, 0, out=mask_out)
    np.copyto(out, dvalues)
    np.copyto(out, 0, where=mask_out, casting="unsafe")
