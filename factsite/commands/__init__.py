"""The command line: one module per command, and the parser that dispatches to them.

Each command module has `run(args) -> int`; `cli` parses the command line and turns what a command
raises into the exit codes below.
"""

EXIT_OK = 0
EXIT_PROJECT = 1
"""The project's files have errors."""
EXIT_USAGE = 2
"""The command line cannot be used: an unknown option, a bad value, an output folder that is not ours."""
EXIT_BUG = 3
"""A bug in factsite; the traceback is shown."""
EXIT_INTERRUPTED = 130
"""Stopped with Ctrl+C, as shells report SIGINT."""
EXIT_BROKEN_PIPE = 141
"""The program reading the output stopped early, as shells report SIGPIPE."""


def invocation(prog: str) -> str:
    """Return how to type the program in a shell: 'python build.py', 'factsite', 'python -m factsite'."""
    return f"python {prog}" if prog.endswith(".py") else prog
