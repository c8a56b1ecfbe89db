"""Entry script for the PyInstaller bundle: the same command line as the ``reluviz`` script."""

import sys

from reluviz.cli import main

sys.exit(main())
