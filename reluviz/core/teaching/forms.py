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
from dataclasses import dataclass, field

import numpy as np

from reluviz.core.io.cell_value import format_value
from reluviz.core.relu import operator_text, relu_backward
from reluviz.core.teaching.bits import cells_differ
from reluviz.core.teaching.text import MAX_LISTED_CELLS, count_text, first_true_cells

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
        ``(cell, book value text, form value text, reason)`` for the first
        :data:`~reluviz.core.teaching.text.MAX_LISTED_CELLS` cells whose value differs (bits, or value
        when the dtypes differ), in C order: the examples a sentence lists.
    count : int
        How many cells differ in all.
    differs : numpy.ndarray or None
        Bool, shaped like the book's result: the differing cells (``None`` when a form raised or
        the shapes differ).
    reasons : list of (str, int)
        Why the cells differ, one entry per reason that applies (a sentence without per-cell values)
        with how many cells it explains; the counts add up to ``count``.
    """

    form: FormResult
    identical: bool
    same_dtype: bool
    disagreements: list[tuple[tuple[int, ...], str, str, str]]
    count: int = 0
    differs: np.ndarray | None = None
    reasons: list[tuple[str, int]] = field(default_factory=list)

    def summary(self) -> str:
        """``"2 cells where z is nan ...; 1 cell where ..."``: every reason with its count, in one line."""
        return "; ".join(f"{count_text(n, 'cell')}: {why}" for why, n in self.reasons)


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


def _values_differ(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per cell, as floats: a different value, or a zero of the other sign; any NaN equals any NaN.

    Used when the dtypes differ (a bit comparison means nothing then). One NumPy pass, no per-cell
    Python.
    """
    fa, fb = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    both_nan = np.isnan(fa) & np.isnan(fb)
    same = (fa == fb) & (np.signbit(fa) == np.signbit(fb))
    return ~(same | both_nan)


def _reason_categories(name: str, z_cells: np.ndarray, d_cells: np.ndarray,
                       inclusive: bool) -> list[tuple[str, np.ndarray]]:
    """The reasons :func:`_reason` gives, as masks over the differing cells (same order of checks).

    ``z_cells`` and ``d_cells`` hold ``z`` and ``dvalues`` at the differing cells only (1-D).
    """
    op = operator_text(inclusive)
    keep = ">" if inclusive else ">="
    z_f = np.asarray(z_cells, dtype=np.float64)
    d_f = np.asarray(d_cells, dtype=np.float64)
    left = np.ones(z_f.shape, dtype=bool)
    categories: list[tuple[str, np.ndarray]] = []

    def take(text: str, where: np.ndarray) -> None:
        nonlocal left
        hit = where & left
        left = left & ~hit
        categories.append((text, hit))

    form_gives = "0" if name == "where" else "dvalues * False"
    take(f"z is nan: nan {op} 0 is False, so the book keeps dvalues; nan {keep} 0 is False too, "
         f"so {name} gives {form_gives}", np.isnan(z_f))
    if name == "multiply":
        take(f"z {op} 0 blocks it and dvalues is inf, -inf or nan: that * False is nan",
             np.isinf(d_f) | np.isnan(d_f))
        take(f"z {op} 0 blocks it and dvalues is negative or -0.0: that * False is -0.0, the book writes 0.0",
             np.signbit(d_f) & (d_f <= 0))
    take("other values", left.copy())  # not reached for int/float dtypes (tests check)
    return categories


def _reason(name: str, z_value: object, d_value: object, form_text: str, inclusive: bool) -> str:
    """Say, from this cell's values, why the form differs from the book here."""
    op = operator_text(inclusive)
    keep = ">" if inclusive else ">="
    z_f, d_f = float(z_value), float(d_value)  # type: ignore[arg-type]
    z_t, d_t = format_value(z_value, precision=None), format_value(d_value, precision=None)
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
            differ = _values_differ(book.result, form.result)
        count = int(np.count_nonzero(differ))
        # Per-cell words only for the few cells a sentence lists; the rest are counted per reason.
        z_full = np.broadcast_to(z, differ.shape)
        rows = []
        for cell in first_true_cells(differ, MAX_LISTED_CELLS):
            form_text = format_value(form.result[cell], precision=None)
            rows.append((cell, format_value(book.result[cell], precision=None), form_text,
                         _reason(name, z_full[cell], dvalues[cell], form_text, inclusive)))
        reasons: list[tuple[str, int]] = []
        if count:
            for text, hit in _reason_categories(name, z_full[differ], dvalues[differ], inclusive):
                n = int(np.count_nonzero(hit))
                if n:
                    reasons.append((text, n))
        identical = same_dtype and not count
        out[name] = FormComparison(form, identical, same_dtype, rows, count, differ, reasons)
    return out
