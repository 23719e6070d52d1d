"""The command line's parser, and `main`, which runs a command and turns its outcome into an exit code."""

from __future__ import annotations

import argparse
import importlib
import os
import shlex
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from .. import __version__
from ..core.errors import BuildFailed, UsageError
from ..core.names import CLAIMS_FILE, OUTPUT_DIR
from ..site.write import OutputError
from . import EXIT_BROKEN_PIPE, EXIT_BUG, EXIT_INTERRUPTED, EXIT_PROJECT, EXIT_USAGE, invocation, links
from .report import report

DEFAULT_COMMAND = "build"


class _Parser(argparse.ArgumentParser):
    """An argument parser whose mistakes exit with code 2 and a hint, never a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\nRun '{self.prog} --help' for the options.\n")


def program_name() -> str:
    """Return the name the program was started by: 'build.py', 'factsite' or 'python -m factsite'."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    if name == "__main__.py":
        return "python -m factsite"
    return name or "factsite"


def make_parser(prog: str | None = None) -> argparse.ArgumentParser:
    """Return the parser of every command; `prog` names the program (default: as it was started)."""
    parser = _Parser(prog=prog or program_name(), description="Build a static fact-check site from claims.yaml.",
                     epilog="With no command, builds the site into site/.")
    parser.set_defaults(prog=parser.prog)
    parser.add_argument("--version", action="version", version=f"factsite {__version__}")
    parser.add_argument("--project", type=Path, default=Path("."), metavar="DIR",
                        help="project folder holding claims.yaml (default: the current folder)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    def add_command(name: str, **kwargs: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, **kwargs)
        # The global options work after the command too: `build.py build --project DIR`.
        sub.add_argument("--project", type=Path, default=argparse.SUPPRESS, metavar="DIR",
                         help="project folder holding claims.yaml (default: the current folder)")
        sub.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print errors only")
        return sub

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--drafts", action="store_true", help="include draft claims, labelled and noindex")
        sub.add_argument("--strict", action="store_true", help="treat warnings as errors")
        sub.add_argument("--base-url", metavar="URL", help="override site.base_url for this build "
                         "(absolute http(s) URL ending in /)")

    build_command = add_command("build", help="build the site into site/",
                                description="Validate everything, then write the site atomically.")
    common(build_command)
    build_command.add_argument("--out", type=Path, default=Path(OUTPUT_DIR), metavar="DIR",
                               help="output folder (default: site); replaced only if factsite wrote it")
    build_command.add_argument("--file-urls", action="store_true",
                               help="link to index.html files, for a copy browsed from disk")
    build_command.add_argument("--clean", action="store_true",
                               help="render every page, ignoring what earlier builds kept in .factsite/cache/")

    check_command = add_command("check", help="validate everything and write nothing",
                                description="Run the whole build without writing; report every problem.")
    common(check_command)
    check_command.add_argument("--article", type=Path, metavar="PATH",
                               help="the article's text: verify every quote appears in its stated paragraph")
    check_command.add_argument("--format", choices=("text", "json", "github"), default="text",
                               help="json prints the problems as machine-readable data, github as GitHub "
                               "Actions annotations")

    serve_command = add_command("serve", help="preview with live reload on 127.0.0.1",
                                description="Build into .factsite/preview/, serve it, rebuild and reload "
                                "on every save.")
    serve_command.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve_command.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve_command.add_argument("--open", action="store_true", help="open the site in a browser")
    serve_command.add_argument("--drafts", action="store_true", help="include draft claims")

    links_command = add_command("links", help="check that every source's url and archive_url still answers",
                                description="Ask every source address (HEAD, GET if refused; redirects followed) "
                                "and warn at each dead, moved-away or unreachable one.")
    links.add_arguments(links_command)

    new_command = add_command("new", help="add a skeleton to claims.yaml",
                              description="Append a draft claim with every field commented to claims.yaml.")
    new_command.add_argument("what", choices=("claim",), help="what to add")
    new_command.add_argument("id", help="the new claim's id, e.g. seizure-total")

    init_command = add_command("init", help="start a new fact-check in a new or empty folder",
                               description="Write claims.yaml with placeholders to replace, the editor schema, "
                               "content pages and deploy recipes into DIR.")
    init_command.add_argument("dir", type=Path, metavar="DIR", help="the new project's folder (new or empty)")
    return parser


def _no_claims_file(root: Path, prog: str) -> str:
    """Say that the folder holds no claims.yaml: where to run instead, or how to start a project there."""
    try:
        new_folder = not root.exists() or (root.is_dir() and not any(root.iterdir()))
    except OSError:
        new_folder = False
    start = f"{invocation(prog)} init {shlex.quote(str(root)) if new_folder else 'DIR'}"
    return (f"no claims.yaml in {root.resolve()}; run the command in the project folder or pass --project DIR, "
            f"or start a new fact-check with '{start}'")


_parser = make_parser
"""The parser factory's former name, still imported by callers."""


def main(argv: Sequence[str] | None = None, *, prog: str | None = None) -> int:
    """Run the command line `argv` (default: sys.argv[1:]) and return the exit code.

    `prog` names the program in usage lines and messages (default: as it was started).
    """
    try:
        return _main(argv, prog)
    except BrokenPipeError:  # the reader stopped early (`| head`): stop quietly, as other Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def _main(argv: Sequence[str] | None, prog: str | None) -> int:
    """Parse the command line, run the command and turn what it raises into an exit code."""
    words = sys.argv[1:] if argv is None else list(argv)
    parser = make_parser(prog)
    args = parser.parse_args(words)
    if args.command is None:
        args = parser.parse_args([*words, DEFAULT_COMMAND])
    root = args.project
    try:
        if args.command != "init" and not (root / CLAIMS_FILE).is_file():
            raise UsageError(_no_claims_file(root, parser.prog))
        # Each command is the `run` of the module of its name, imported only now: a build that finds
        # nothing to do does not wait for the other commands' libraries to load.
        command: Callable[[argparse.Namespace], int] = importlib.import_module(f"{__package__}.{args.command}").run
        return command(args)
    except BuildFailed as failure:
        report(root, failure.problems, getattr(args, "format", "text"))
        return EXIT_PROJECT
    except (UsageError, OutputError) as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        raise  # not a bug: main() ends the command quietly
    except Exception:  # noqa: BLE001 - a bug: show it, with its own exit code
        traceback.print_exc()
        print("\nThis is a bug in factsite, not in your files. Please report it with the text above.",
              file=sys.stderr)
        return EXIT_BUG
