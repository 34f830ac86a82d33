import sys

from maildaemon.cli.main import main

sys.exit(main())
