"""Frozen entry point of the command line (wuye.exe)."""

import sys

from wuye_desktop.cli import main

sys.exit(main())
