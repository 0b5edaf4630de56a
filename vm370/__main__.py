import sys

from vm370.cli import main

sys.exit(main())
