"""Hypothesis settings for mutation testing (mutmut; see README "Development").

mutmut runs these tests once per mutant on a loaded machine, where one example can take longer
than Hypothesis' 200 ms deadline: a deadline error would count as a killed mutant that no
assertion killed. Under mutmut (which sets ``MUTANT_UNDER_TEST``) there is no deadline, and
examples are derandomized so a verdict is the same on every run. Ordinary test runs are unchanged.
"""

from __future__ import annotations

import os

from hypothesis import settings

if "MUTANT_UNDER_TEST" in os.environ:
    settings.register_profile("mutmut", deadline=None, derandomize=True)
    settings.load_profile("mutmut")
