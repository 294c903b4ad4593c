"""Frozen entry point of the window (wuye-desktop.exe)."""

import sys

from wuye_desktop.app import main

sys.exit(main())
