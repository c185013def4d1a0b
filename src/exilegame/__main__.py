"""`python -m exilegame` runs the same command as the `exilegame` script."""

import sys

from exilegame.cli import main

sys.exit(main())
