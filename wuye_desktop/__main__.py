import sys

from wuye_desktop.app import main

sys.exit(main())
