"""The five questions a reader must answer from the slides, answered from the current arrays.

Each function returns one or two short sentences whose every number, cell and shape is computed
from ``z`` and ``dvalues`` (tests read them back and compare).
"""

from __future__ import annotations

import numpy as np

from reluviz.core.io.cell_value import format_value
from reluviz.core.relu import blocked_mask, operator_text, relu_backward
from reluviz.core.teaching.bits import cells_differ
from reluviz.core.teaching.shapes import assign_through_mask
from reluviz.core.teaching.text import (
    MAX_LISTED_CELLS,
    cell_text,
    cells_text,
    count_text,
    first_true_cells,
)
from reluviz.core.teaching.why_copy import without_copy
from reluviz.core.teaching.zero_boundary import zero_boundary

__all__ = ["QUESTIONS", "answer_all", "what_comparison_gives", "what_if_shapes_differ", "what_the_assignment_changes",
           "why_copy", "zero_answer"]

QUESTIONS = (
    "What does z <= 0 produce (kind, shape, values)?",
    "Which cells does drelu[z <= 0] = 0 change, and which does it leave alone?",
    "Why dvalues.copy() first — what goes wrong with drelu = dvalues?",
    "What happens at exactly z == 0, and where would z < 0 differ?",
    "Why must z and dvalues have the same shape, and what happens if they don't?",
)


def what_comparison_gives(z: np.ndarray, inclusive: bool = True) -> str:
    """Question 1: ``"z <= 0 gives a bool array of shape (3, 4): 6 True (blocked), 6 False (passed)."``"""
    mask = blocked_mask(np.asarray(z), inclusive)
    blocked = int(np.count_nonzero(mask))
    return (f"z {operator_text(inclusive)} 0 gives a {mask.dtype} array of shape {mask.shape}: "
            f"{blocked} True (blocked), {mask.size - blocked} False (passed).")


def what_the_assignment_changes(z: np.ndarray, dvalues: np.ndarray, inclusive: bool = True) -> str:
    """Question 2: which cells are written, which of those change, and how many are left alone."""
    z, dvalues = np.asarray(z), np.asarray(dvalues)
    mask = blocked_mask(z, inclusive)
    drelu = relu_backward(z, dvalues, inclusive)
    # Counts from NumPy; only the few cells a sentence lists become Python tuples.
    target_count = int(np.count_nonzero(mask))
    changed = int(np.count_nonzero(cells_differ(drelu, dvalues)))
    kept = mask.size - target_count
    op = operator_text(inclusive)
    if mask.size == 0:
        return f"z is empty (shape {mask.shape}): drelu[z {op} 0] = 0 writes no cell."
    if not target_count:
        return f"drelu[z {op} 0] = 0 writes no cell: all {count_text(kept, 'cell')} keep dvalues."
    unchanged = target_count - changed
    already = f" ({unchanged} already held 0)" if unchanged else ""
    listed = (f": {cells_text(first_true_cells(mask, MAX_LISTED_CELLS))}" if target_count <= MAX_LISTED_CELLS
              else "")
    rest = f"The other {count_text(kept, 'cell')} keep dvalues." if kept else "No cell keeps dvalues."
    return (f"drelu[z {op} 0] = 0 writes 0 into the {count_text(target_count, 'True cell')} of the mask{listed}; "
            f"{changed} of them {'changes' if changed == 1 else 'change'}{already}. {rest}")


def why_copy(z: np.ndarray, dvalues: np.ndarray, inclusive: bool = True) -> str:
    """Question 3: run ``drelu = dvalues`` for real on a scratch pair and say what it did."""
    demo = without_copy(z, dvalues, inclusive)
    wrong = int(np.count_nonzero(demo.dz_skip_wrong))
    shared = f"np.shares_memory: {demo.shares_memory_without_copy}"
    if demo.same_object_without_copy and not demo.shares_memory_without_copy:
        shared = f"drelu is dvalues: True; {shared}, as an empty array has no memory to share"
    head = (f"drelu = dvalues gives the same array a second name ({shared}), so drelu[mask] = 0 also changed "
            f"{count_text(demo.changed_count, 'cell')} of dvalues.")
    tail = (f"dvalues.copy() gives drelu its own memory (np.shares_memory: {demo.shares_memory_with_copy}) "
            "and leaves dvalues alone.")
    if demo.changed_count == 0:
        return f"{head} Nothing breaks with these arrays, but it would with a blocked non-zero gradient. {tail}"
    same = "the same" if demo.drelu_same else "different"
    if wrong == 0:  # e.g. only -0.0 became 0.0: a later sum reads the same numbers
        later = "a later reader of dvalues such as a skip connection, dz = dvalues + drelu, gets the same dz here"
    else:
        verb = "comes" if wrong == 1 else "come"
        later = (f"later readers of dvalues do not: through a skip connection, dz = dvalues + drelu, "
                 f"{count_text(wrong, 'cell')} of the gradient for the layer below {verb} out wrong")
    return f"{head} drelu itself comes out {same}; {later}. {tail}"


def zero_answer(z: np.ndarray, dvalues: np.ndarray, inclusive: bool = True) -> str:
    """Question 4: the exact-zero cells and what each operator gives there."""
    zb = zero_boundary(z, dvalues)
    head = "ReLU has no derivative at 0; z <= 0 takes it as 0 (blocks), z < 0 as 1 (passes)."
    if not zb.count:
        return f"{head} z holds no exact 0, so both give the same drelu."
    listed = zb.cells if zb.count <= MAX_LISTED_CELLS else []
    passes = ", ".join(f"{cell_text(c)}: {format_value(zb.drelu_strict[c], precision=None)}" for c in listed)
    detail = f" ({passes})" if passes else ""
    current = operator_text(inclusive)
    return (f"{head} z is exactly 0 at {cells_text(zb.cells, zb.count)}: there z <= 0 gives 0 and z < 0 gives "
            f"dvalues{detail}. The app uses z {current} 0 now.")


def _mismatched_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
    # One column more than dvalues (one element for a 0-d array): the smallest shape that does not fit.
    return (*shape[:-1], shape[-1] + 1) if shape else (1,)


def what_if_shapes_differ(z: np.ndarray, dvalues: np.ndarray, inclusive: bool = True) -> str:
    """Question 5: the rule, and NumPy's own error for a ``z`` with one more column (run for real)."""
    z, dvalues = np.asarray(z), np.asarray(dvalues)
    wrong_z = np.zeros(_mismatched_shape(z.shape), dtype=z.dtype)
    outcome = assign_through_mask(dvalues, blocked_mask(wrong_z, inclusive))
    rule = (f"The mask picks drelu's cells one for one, so its shape must equal drelu's "
            f"(z {z.shape}, dvalues {dvalues.shape}); a boolean index does not broadcast.")
    if outcome.ok:  # only for shapes where the extra column still fits (not reached for numeric arrays)
        return f"{rule} A z of shape {wrong_z.shape} was accepted here."
    return f"{rule} With z of shape {wrong_z.shape}, NumPy says: {outcome.error_text}"


def answer_all(z: np.ndarray, dvalues: np.ndarray, inclusive: bool = True) -> list[tuple[str, str]]:
    """The five questions with their answers for the current arrays."""
    answers = (
        what_comparison_gives(z, inclusive),
        what_the_assignment_changes(z, dvalues, inclusive),
        why_copy(z, dvalues, inclusive),
        zero_answer(z, dvalues, inclusive),
        what_if_shapes_differ(z, dvalues, inclusive),
    )
    return list(zip(QUESTIONS, answers, strict=True))
