"""``python -m reluviz`` runs the same command line as the ``reluviz`` script."""

import sys

from reluviz.cli import main

sys.exit(main())
