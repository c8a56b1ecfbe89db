""""Copy as Python": the script runs in a fresh interpreter and rebuilds the app's arrays bit for bit."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reluviz.core import blocked_mask, relu_backward
from reluviz.core.presets import PRESETS
from reluviz.core.teaching import MAX_SCRIPT_CELLS, ScriptTooLargeError, array_literal, python_script

# Runs a script exactly as written (runpy executes its text as __main__), then dumps every array
# it built as dtype, shape and hex bytes, so the comparison is bit for bit.
RUNNER = """
import contextlib, io, json, runpy, sys
out = io.StringIO()
with contextlib.redirect_stdout(out):
    ns = runpy.run_path(sys.argv[1], run_name="__main__")
dump = {name: [ns[name].dtype.str, list(ns[name].shape), ns[name].tobytes().hex()]
        for name in ("z", "dvalues", "mask", "drelu")}
print(json.dumps({"stdout": out.getvalue(), "arrays": dump}))
"""


def same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def odd_nan(bits: int) -> float:
    return float(np.array(bits, dtype=np.uint64).view(np.float64))


def _special_pair():
    z = np.array([[0.0, -0.0, np.nan, 1e-300], [np.inf, -np.inf, 5e-324, -5e-324]])
    d = np.array([[0.1, -0.0, 1 / 3, np.nan], [np.inf, 2.5e-308, -1e308, 7.0]])
    d.view(np.uint64)[0, 3] = 0xFFF8000000000000  # NaN with its sign bit set
    d.view(np.uint64)[1, 0] = 0x7FF0000000000001  # a signalling-style payload where a NaN passes
    z[1, 0] = 1.0  # so the odd NaN passes into drelu
    return z, d


CASES = {
    "book": PRESETS["book"].make(),
    "exact-zeros": PRESETS["exact-zeros"].make(),
    "special": _special_pair(),
    "float32": (np.array([[0.1, -0.0], [np.nan, 3.4e38]], dtype=np.float32),
                np.array([[1 / 3, 0.1], [-2.5, np.inf]], dtype=np.float32)),
    "float16-int32": (np.array([0.1, -1.0, 0.0], dtype=np.float16), np.array([-7, 2**31 - 1, -(2**31)], np.int32)),
    "uint8": (np.array([[3, 0, 255]], dtype=np.uint8), np.array([[1, 2, 255]], dtype=np.uint8)),
    "int64-big": (np.array([-1, 1]), np.array([2**62 + 1, -(2**63)], dtype=np.int64)),
    "zero-d": (np.array(-0.0), np.array(np.nan)),
    "empty": (np.zeros((0, 3)), np.zeros((0, 3), dtype=np.float32)),
    "three-d": (np.arange(-6.0, 6.0).reshape(2, 3, 2), np.arange(12.0).reshape(2, 3, 2) / 7),
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("inclusive", [True, False])
def test_script_rebuilds_and_prints_the_apps_arrays(tmp_path, name, inclusive):
    z, dvalues = CASES[name]
    script = tmp_path / "relu.py"
    script.write_text(python_script(z, dvalues, inclusive), encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", RUNNER, str(script)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    expected = {"z": z, "dvalues": dvalues, "mask": blocked_mask(z, inclusive),
                "drelu": relu_backward(z, dvalues, inclusive)}
    for key, array in expected.items():
        assert result["arrays"][key] == [array.dtype.str, list(array.shape), array.tobytes().hex()], key
    # NumPy's own printing of the same arrays, in this interpreter, is what the script printed.
    assert result["stdout"] == f"mask =\n{expected['mask']}\ndrelu =\n{expected['drelu']}\n"


def test_book_script_runs_standalone_and_reads_like_the_book(tmp_path):
    z, dvalues = PRESETS["book"].make()
    text = python_script(z, dvalues)
    assert text.splitlines()[:5] == [
        "import numpy as np",
        "",
        "z = np.array([[ 1.0,  2.0, -3.0, -4.0],",
        "              [ 2.0, -7.0, -1.0,  3.0],",
        "              [-1.0,  2.0,  5.0, -1.0]], dtype=np.float64)",
    ]
    assert "mask = z <= 0\ndrelu = dvalues.copy()\ndrelu[mask] = 0\n" in text
    script = tmp_path / "book.py"
    script.write_text(text, encoding="utf-8")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ("mask =\n[[False False  True  True]\n [False  True  True False]\n"
                          " [ True False False  True]]\n"
                          "drelu =\n[[ 1.  2.  0.  0.]\n [ 5.  0.  0.  8.]\n [ 0. 10. 11.  0.]]\n")


def test_odd_nans_are_patched_bit_for_bit_with_a_comment():
    z, dvalues = _special_pair()
    text = array_literal("dvalues", dvalues)
    assert "dvalues.view(np.uint64)[0, 3] = 0xfff8000000000000  # a NaN with other bits than np.nan" in text
    assert "dvalues.view(np.uint64)[1, 0] = 0x7ff0000000000001" in text
    assert array_literal("z", z).count("view") == 0  # z's NaN is the ordinary one: no patch line


def _rebuild(source: str) -> np.ndarray:
    namespace: dict[str, object] = {"np": np}
    exec(source, namespace)  # the generated literal only: fast enough for Hypothesis
    return namespace["a"]  # type: ignore[return-value]


FLOAT_DTYPES = st.sampled_from([np.float64, np.float32, np.float16])


@settings(max_examples=300, deadline=None)
@given(FLOAT_DTYPES.flatmap(lambda dt: hnp.arrays(
    dt, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
    elements=st.floats(width=8 * np.dtype(dt).itemsize, allow_subnormal=True))))
def test_float_literals_round_trip_bit_for_bit(array):
    assert same(_rebuild(array_literal("a", array)), array)


@settings(max_examples=200, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=2, max_side=4), elements=st.integers(0, 2**64 - 1).map(
    lambda bits: float(np.array(bits, dtype=np.uint64).view(np.float64)))))
def test_any_bit_pattern_round_trips(array):
    # Every float64 bit pattern, NaN payloads and signs included.
    assert same(_rebuild(array_literal("a", array)), array)


@settings(max_examples=200, deadline=None)
@given(hnp.arrays(st.sampled_from([np.int8, np.int32, np.int64, np.uint8, np.uint64, np.bool_]),
                  hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)))
def test_integer_and_bool_literals_round_trip(array):
    assert same(_rebuild(array_literal("a", array)), array)


def test_too_large_is_refused_with_the_limit():
    big = np.zeros(MAX_SCRIPT_CELLS + 1)
    with pytest.raises(ScriptTooLargeError, match=f"z has {MAX_SCRIPT_CELLS + 1} cells.*up to {MAX_SCRIPT_CELLS}"):
        python_script(big, big)
    python_script(np.zeros(MAX_SCRIPT_CELLS), np.zeros(MAX_SCRIPT_CELLS))  # the limit itself is fine


def test_unsupported_dtypes_are_refused():
    with pytest.raises(TypeError, match="complex128"):
        array_literal("a", np.zeros(2, dtype=complex))
