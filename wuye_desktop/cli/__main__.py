import sys

from wuye_desktop.cli import main

sys.exit(main())
