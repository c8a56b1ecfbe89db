"""The teaching layer's core: every sentence and highlight the Code view and lesson deck show.

Plain NumPy (no Qt). Each function runs the real NumPy operation on the arrays on screen (or a
scratch copy of them) and returns what happened, so the words on screen are computed, not written.

- :mod:`.code_steps` — the three lines of the book, one step at a time.
- :mod:`.python_script` — "Copy as Python": a runnable, bit-exact script.
- :mod:`.why_copy` — ``drelu = dvalues`` without ``.copy()``, run on a scratch pair.
- :mod:`.forms` — ``np.where`` and a multiply against the book's lines, cell by cell.
- :mod:`.shapes` — boolean-index shapes, NumPy's own errors, what broadcasts.
- :mod:`.python_protocol` — the ``__le__`` / ``__setitem__`` calls Python makes.
- :mod:`.zero_boundary` — ``<=`` against ``<`` at exactly 0, and ``-0``.
- :mod:`.dead_units` — dead units while training, and why they stay dead.
- :mod:`.questions` — the five questions, answered from the current arrays.
"""

from reluviz.core.teaching.code_steps import CodeStep, code_lines, code_steps
from reluviz.core.teaching.dead_units import DeadUnitStep, DeadUnitTrace, passed_percent_text, trace_dead_units
from reluviz.core.teaching.forms import FormComparison, FormResult, compare_forms, form_expressions
from reluviz.core.teaching.python_protocol import RecordedCall, record_calls
from reluviz.core.teaching.python_script import MAX_SCRIPT_CELLS, ScriptTooLargeError, array_literal, python_script
from reluviz.core.teaching.questions import QUESTIONS, answer_all
from reluviz.core.teaching.shapes import (
    IndexOutcome,
    assign_through_mask,
    dimension_match,
    mask_fits,
    resized_scratch,
    scratch_pair_outcome,
    shape_demos,
)
from reluviz.core.teaching.why_copy import AliasingDemo, without_copy
from reluviz.core.teaching.zero_boundary import ZeroBoundary, negative_zero_notes, zero_boundary

__all__ = [
    "MAX_SCRIPT_CELLS",
    "QUESTIONS",
    "AliasingDemo",
    "CodeStep",
    "DeadUnitStep",
    "DeadUnitTrace",
    "FormComparison",
    "FormResult",
    "IndexOutcome",
    "RecordedCall",
    "ScriptTooLargeError",
    "ZeroBoundary",
    "answer_all",
    "array_literal",
    "assign_through_mask",
    "code_lines",
    "code_steps",
    "compare_forms",
    "dimension_match",
    "form_expressions",
    "mask_fits",
    "negative_zero_notes",
    "passed_percent_text",
    "python_script",
    "record_calls",
    "resized_scratch",
    "scratch_pair_outcome",
    "shape_demos",
    "trace_dead_units",
    "without_copy",
    "zero_boundary",
]
