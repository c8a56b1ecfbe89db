"""The three lines of the book, run one at a time on the current arrays.

::

    mask = z <= 0
    drelu = dvalues.copy()
    drelu[mask] = 0

Each :class:`CodeStep` says which line ran, which array it produced, every array as it stands
after the line, and which cells the line touched. The Code view highlights and animates from
these; nothing is re-derived there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reluviz.core.relu import blocked_mask, operator_text
from reluviz.core.teaching.bits import cells_differ

__all__ = ["CodeStep", "code_lines", "code_steps"]


def code_lines(inclusive: bool = True) -> tuple[str, str, str]:
    """The three lines as the Code view shows them, with the current operator."""
    return (f"mask = z {operator_text(inclusive)} 0", "drelu = dvalues.copy()", "drelu[mask] = 0")


@dataclass(frozen=True)
class CodeStep:
    """One line of the book's code, run for real.

    Attributes
    ----------
    number : int
        1, 2 or 3.
    line : str
        The line's source text, e.g. ``"mask = z <= 0"``.
    produces : str
        The name the line binds or changes: ``"mask"`` or ``"drelu"``.
    arrays : dict of str to numpy.ndarray
        Every name defined after the line (``z``, ``dvalues``, then ``mask``, ``drelu``): read-only
        copies, shared between steps where the line did not change them.
    targets : numpy.ndarray or None
        Line 3: the cells the assignment writes to (the True cells of the mask), shaped like
        ``drelu``. ``None`` for lines 1 and 2 and when line 3 raised.
    changed : numpy.ndarray or None
        Line 3: the cells whose bits the assignment changed (a target already holding ``+0``
        keeps its bits; a ``-0.0`` becomes ``0.0``). ``None`` as for ``targets``.
    error : str or None
        NumPy's own ``"IndexError: ..."`` when the line raised (shapes that do not match).
    """

    number: int
    line: str
    produces: str
    arrays: dict[str, np.ndarray]
    targets: np.ndarray | None = None
    changed: np.ndarray | None = None
    error: str | None = None


def code_steps(z: np.ndarray, dvalues: np.ndarray, inclusive: bool = True) -> tuple[CodeStep, ...]:
    """Run the three lines on copies of ``z`` and ``dvalues`` and record each step.

    Parameters
    ----------
    z, dvalues : numpy.ndarray
        The current arrays; never modified.
    inclusive : bool, default True
        ``True`` for the book's ``z <= 0``, ``False`` for ``z < 0``.

    Returns
    -------
    tuple of CodeStep
        Three steps. When the shapes do not let the mask index ``drelu``, step 3 carries NumPy's
        error and ``drelu`` as it was before the line.
    """
    # One read-only copy of each array, shared by the steps that show it: a 4096² pair costs about
    # four arrays' bytes here, not one per step, and no view can write into a step by accident.
    z = _read_only(np.array(z, copy=True))
    dvalues = _read_only(np.array(dvalues, copy=True))
    mask = _read_only(np.asarray(blocked_mask(z, inclusive)))  # a 0-d z compares to a scalar
    lines = code_lines(inclusive)
    before = {"z": z, "dvalues": dvalues, "mask": mask}
    step1 = CodeStep(1, lines[0], "mask", dict(before))
    drelu = dvalues.copy()
    step2 = CodeStep(2, lines[1], "drelu", {**before, "drelu": _read_only(drelu.copy())})
    try:
        drelu[mask] = 0
    except (IndexError, ValueError) as exc:
        return step1, step2, CodeStep(3, lines[2], "drelu", {**before, "drelu": step2.arrays["drelu"]},
                                      error=f"{type(exc).__name__}: {exc}")
    # A (rows,) mask writes whole rows: spread it over the dimensions it does not index.
    if mask.shape == drelu.shape:  # the usual case: the (read-only) mask is the targets, no copy
        targets = mask
    else:
        targets = np.broadcast_to(mask.reshape(mask.shape + (1,) * (drelu.ndim - mask.ndim)), drelu.shape).copy()
    changed = cells_differ(drelu, dvalues)
    step3 = CodeStep(3, lines[2], "drelu", {**before, "drelu": _read_only(drelu)},
                     targets=_read_only(targets), changed=_read_only(changed))
    return step1, step2, step3


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array
