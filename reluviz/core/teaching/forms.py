"""Equivalent forms side by side: the book's lines, ``np.where`` and a multiply, compared bit for bit.

For the book's ``z <= 0`` the other two forms keep where ``z > 0``; for ``z < 0`` they keep where
``z >= 0``. They agree on ordinary numbers and differ, cell by cell, for reasons computed here:

- ``z`` is NaN: ``nan <= 0`` is False, so the book *passes* ``dvalues``; ``nan > 0`` is False too,
  so ``np.where`` gives 0 and the multiply gives ``dvalues * False``.
- blocked ``dvalues`` is ±inf or NaN: ``inf * False`` is ``nan`` (the multiply only).
- blocked ``dvalues`` is negative or ``-0.0``: ``-x * False`` is ``-0.0``, the book writes ``+0``.
- the dtype: ``np.where(..., dvalues, 0)`` of a bool ``dvalues`` is an integer array.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from reluviz.core.relu import relu_backward
from reluviz.core.teaching.bits import cells_differ
from reluviz.core.teaching.text import operator_text, true_cells, value_text

__all__ = ["FormComparison", "FormResult", "compare_forms", "form_expressions"]


def form_expressions(inclusive: bool = True) -> dict[str, str]:
    """The source text of each form for the current operator."""
    keep = ">" if inclusive else ">="
    return {
        "book": f"drelu = dvalues.copy(); drelu[z {operator_text(inclusive)} 0] = 0",
        "where": f"np.where(z {keep} 0, dvalues, 0)",
        "multiply": f"dvalues * (z {keep} 0)",
    }


@dataclass(frozen=True)
class FormResult:
    """One form, run for real.

    Attributes
    ----------
    name : str
        ``"book"``, ``"where"`` or ``"multiply"``.
    expression : str
        Its source text.
    result : numpy.ndarray or None
        What it returned (``None`` when it raised).
    error : str or None
        ``"IndexError: ..."`` in NumPy's words when it raised.
    warnings : tuple of str
        NumPy's own warnings while it ran (``"invalid value encountered in multiply"`` for
        ``inf * False``), caught so they reach the screen instead of the console.
    """

    name: str
    expression: str
    result: np.ndarray | None
    error: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormComparison:
    """One alternative form against the book's.

    Attributes
    ----------
    form : FormResult
        The alternative.
    identical : bool
        Same dtype, shape and bytes as the book's result.
    same_dtype : bool
        The dtypes match (when both ran).
    disagreements : list of tuple
        ``(cell, book value text, form value text, reason)`` for each cell whose value differs
        (bits, or value when the dtypes differ), in C order.
    """

    form: FormResult
    identical: bool
    same_dtype: bool
    disagreements: list[tuple[tuple[int, ...], str, str, str]]


def _run(name: str, expression: str, z: np.ndarray, dvalues: np.ndarray, inclusive: bool) -> FormResult:
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn"):
        warnings.simplefilter("always")
        try:
            if name == "book":
                result = relu_backward(z, dvalues, inclusive)
            else:
                keep = np.greater(z, 0) if inclusive else np.greater_equal(z, 0)
                result = np.where(keep, dvalues, 0) if name == "where" else dvalues * keep
        except (IndexError, ValueError) as exc:
            return FormResult(name, expression, None, f"{type(exc).__name__}: {exc}")
    said = tuple(dict.fromkeys(str(w.message) for w in caught))
    return FormResult(name, expression, np.asarray(result), warnings=said)


def _same_value(a: object, b: object) -> bool:
    # Equal value and, for zeros, equal sign; any NaN equals any NaN. Used when dtypes differ.
    fa, fb = float(a), float(b)  # type: ignore[arg-type]
    if math.isnan(fa) or math.isnan(fb):
        return math.isnan(fa) and math.isnan(fb)
    return fa == fb and math.copysign(1.0, fa) == math.copysign(1.0, fb)


def _reason(name: str, z_value: object, d_value: object, form_text: str, inclusive: bool) -> str:
    """Say, from this cell's values, why the form differs from the book here."""
    op = operator_text(inclusive)
    keep = ">" if inclusive else ">="
    z_f, d_f = float(z_value), float(d_value)  # type: ignore[arg-type]
    z_t, d_t = value_text(z_value), value_text(d_value)
    if math.isnan(z_f):
        return (f"z is nan: nan {op} 0 is False, so the book keeps dvalues ({d_t}); "
                f"nan {keep} 0 is False too, so {name} gives {form_text}")
    if name == "multiply" and (math.isinf(d_f) or math.isnan(d_f)):
        return f"z {op} 0 blocks it and dvalues is {d_t}: {d_t} * False is nan"
    if name == "multiply" and d_f <= 0 and math.copysign(1.0, d_f) < 0:
        return f"z {op} 0 blocks it and dvalues is {d_t}: {d_t} * False is -0.0, the book writes 0.0"
    return f"z is {z_t}, dvalues is {d_t}"  # not reached for int/float dtypes (tests check)


def compare_forms(z: np.ndarray, dvalues: np.ndarray, inclusive: bool = True) -> dict[str, FormComparison | FormResult]:
    """Run the three forms and compare ``where`` and ``multiply`` with the book's, cell by cell.

    Returns
    -------
    dict
        ``"book"``: its :class:`FormResult`; ``"where"``, ``"multiply"``: a :class:`FormComparison`
        each.
    """
    z = np.asarray(z)
    dvalues = np.asarray(dvalues)
    expressions = form_expressions(inclusive)
    book = _run("book", expressions["book"], z, dvalues, inclusive)
    out: dict[str, FormComparison | FormResult] = {"book": book}
    for name in ("where", "multiply"):
        form = _run(name, expressions[name], z, dvalues, inclusive)
        if book.result is None or form.result is None or form.result.shape != book.result.shape:
            out[name] = FormComparison(form, False, False, [])
            continue
        same_dtype = form.result.dtype == book.result.dtype
        if same_dtype:
            differ = cells_differ(book.result, form.result)
        else:
            differ = np.frompyfunc(lambda a, b: not _same_value(a, b), 2, 1)(book.result, form.result).astype(bool)
        rows = []
        for cell in true_cells(differ):
            form_text = value_text(form.result[cell])
            rows.append((cell, value_text(book.result[cell]), form_text,
                         _reason(name, z[cell], dvalues[cell], form_text, inclusive)))
        identical = same_dtype and not rows
        out[name] = FormComparison(form, identical, same_dtype, rows)
    return out
