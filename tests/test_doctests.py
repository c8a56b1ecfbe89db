"""The examples in the public docstrings run, and print what they say they print."""

from __future__ import annotations

import doctest
import importlib

import pytest

PUBLIC_MODULES = ("reluviz", "reluviz.api", "reluviz.core.io.arrays_input", "reluviz.core.relu")


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_docstring_examples(name, qapp):
    # qapp: the examples that draw use the suite's QApplication, as a notebook would use its own.
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder()
    tests = finder.find(module, name)
    assert sum(len(test.examples) for test in tests) > 0, f"{name} has no examples"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in tests:
        runner.run(test)
    results = runner.summarize(verbose=False)
    assert results.failed == 0, f"{results.failed} of {results.attempted} examples in {name} failed (see above)"
