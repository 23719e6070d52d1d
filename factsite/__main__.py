"""`python -m factsite`: the same command line as build.py and the factsite command."""

import sys

from factsite.commands.cli import main

if __name__ == "__main__":
    sys.exit(main())
