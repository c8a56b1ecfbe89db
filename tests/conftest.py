"""Test configuration shared by every test: headless Qt and isolated settings.

Qt must see ``QT_QPA_PLATFORM`` before the first ``QApplication`` is made, so it is set at import
time here, which lets a bare ``pytest`` run on a machine with no display.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Subprocesses and QSettings alike write their settings under a throw-away folder, never into the
# user's own ~/.config (XDG_CONFIG_HOME is where Qt puts user settings on Linux).
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="reluviz-test-config-")
