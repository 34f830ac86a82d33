import sys

from maildaemon.cli import main

sys.exit(main())
