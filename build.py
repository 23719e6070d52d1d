"""Build the fact-check site: `python build.py [build|check|links|serve|new|init] --help`."""

import sys

try:
    from factsite.commands.cli import main
except ImportError as exc:  # a missing package is a setup problem, not a crash
    sys.exit(f"build.py: error: {exc}. Install the packages first: run 'make site', "
             "or 'python3 -m pip install -r requirements.txt'.")

if __name__ == "__main__":
    sys.exit(main())
