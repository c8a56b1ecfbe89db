"""Test configuration shared by every test: headless Qt and isolated settings.

Qt must see ``QT_QPA_PLATFORM`` before the first ``QApplication`` is made, so it is set at import
time here, which lets a bare ``pytest`` run on a machine with no display.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
