"""The command line: build, check, serve and new claim."""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from .. import __version__
from ..core.errors import BuildFailed, Problem, UsageError, format_problem
from ..core.memory import one_shot
from ..core.names import CLAIMS_FILE, INPUTS, OUTPUT_DIR
from ..site.render import BuildOptions
from ..site.write import OutputError

EXIT_OK, EXIT_PROJECT, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    """An argument parser whose mistakes exit with code 2 and a hint, never a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\nRun '{self.prog} --help' for the options.\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="build.py", description="Build a static fact-check site from claims.yaml.",
                     epilog="With no command, builds the site into site/.")
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

    build = add_command("build", help="build the site into site/",
                                description="Validate everything, then write the site atomically.")
    common(build)
    build.add_argument("--out", type=Path, default=Path(OUTPUT_DIR), metavar="DIR",
                       help="output folder (default: site); replaced only if factsite wrote it")
    build.add_argument("--file-urls", action="store_true",
                       help="link to index.html files, for a copy browsed from disk")

    check = add_command("check", help="validate everything and write nothing",
                                description="Run the whole build without writing; report every problem.")
    common(check)
    check.add_argument("--article", type=Path, metavar="PATH",
                       help="the article's text: verify every quote appears in its stated paragraph")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="json prints the problems as machine-readable data")

    serve = add_command("serve", help="preview with live reload on 127.0.0.1",
                                description="Build into .factsite/preview/, serve it, rebuild and reload "
                                "on every save.")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    serve.add_argument("--open", action="store_true", help="open the site in a browser")
    serve.add_argument("--drafts", action="store_true", help="include draft claims")

    new = add_command("new", help="add a skeleton to claims.yaml",
                              description="Append a draft claim with every field commented to claims.yaml.")
    new.add_argument("what", choices=("claim",), help="what to add")
    new.add_argument("id", help="the new claim's id, e.g. seizure-total")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    root = args.project
    try:
        if not (root / CLAIMS_FILE).is_file() and args.command != "new":
            raise UsageError(f"no claims.yaml in {root.resolve()}; run the command in the project folder "
                             "or pass --project DIR")
        command = args.command or "build"
        if command == "build" and args.command is None:
            args = _parser().parse_args([*(argv or sys.argv[1:]), "build"])
        return _COMMANDS[command](args)
    except BuildFailed as failure:
        _report(root, failure.problems, getattr(args, "format", "text"))
        return EXIT_PROJECT
    except (UsageError, OutputError) as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception:  # noqa: BLE001 - a bug: show it, with its own exit code
        traceback.print_exc()
        print("\nThis is a bug in factsite, not in your files. Please report it with the text above.",
              file=sys.stderr)
        return EXIT_BUG


def _report(root: Path, problems: Sequence[Problem], fmt: str = "text") -> None:
    """Print problems: text with source excerpts, or JSON."""
    if fmt == "json":
        print(json.dumps({"problems": [p.as_dict() for p in problems]}, indent=2))
        return
    for problem in problems:
        print(format_problem(root, problem), file=sys.stderr)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    print(f"\n{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}.",
          file=sys.stderr)


def _options(args: argparse.Namespace, **extra: object) -> BuildOptions:
    base_url = getattr(args, "base_url", None)
    if base_url is not None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or not base_url.endswith("/"):
            raise UsageError(f"--base-url '{base_url}' must be an absolute http(s) URL ending in /, "
                             "e.g. https://user.github.io/repo/")
    return BuildOptions(base_url=base_url, drafts=getattr(args, "drafts", False), **extra)  # type: ignore[arg-type]


def _check_out(root: Path, out: Path) -> None:
    """Refuse an output folder at or inside the project's inputs, or holding the project."""
    resolved_out = out.resolve()
    resolved_root = root.resolve()
    if resolved_out == resolved_root or resolved_root.is_relative_to(resolved_out):
        raise UsageError(f"--out {out} would replace the project folder; choose a folder such as site/")
    for name in INPUTS:
        if resolved_out.is_relative_to((root / name).resolve()):
            raise UsageError(f"--out {out} is inside the project's {name}; choose a folder such as site/")


def _build(args: argparse.Namespace) -> int:
    from ..site.pipeline import build

    root = args.project
    out = args.out if args.out.is_absolute() else root / args.out
    _check_out(root, out)
    with one_shot():
        rendered, changed = build(root, out, _options(args, file_urls=args.file_urls), strict=args.strict)
    if rendered.warnings:
        _report(root, rendered.warnings)
    if not args.quiet:
        pages = sum(1 for path in rendered.outputs if path.endswith(".html"))
        base = args.base_url or rendered.project.site.base_url
        print(f"Built {pages} pages ({len(rendered.outputs)} files, {changed} changed) into {out}/")
        print(rendered.evidence.summary() + ".")
        print(f"Deploy: upload the contents of {out}/ so that index.html is served at {base}")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from ..project.article import check_quotes
    from ..site.pipeline import render_project

    with one_shot():
        rendered = render_project(args.project, _options(args), strict=args.strict)
    findings = list(rendered.warnings)
    share = None
    if args.article is not None:
        quote_problems, share = check_quotes(rendered.project, args.article)
        if any(p.severity == "error" for p in quote_problems):
            raise BuildFailed(sorted([*findings, *quote_problems], key=lambda p: p.location))
        findings.extend(quote_problems)
    if args.format == "json":
        _report(args.project, findings, "json")
        return EXIT_OK
    if findings:
        _report(args.project, findings)
    if not args.quiet:
        claims = len(rendered.project.claims)
        print(f"OK: {claims} claims, {len(rendered.outputs)} files would be written.")
        print(rendered.evidence.summary() + ".")
        if share is not None:
            print(f"Quotes: {claims} of {claims} found in their stated paragraphs; "
                  f"together they are {share:.1%} of the article's words.")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from ..preview.server import serve

    return serve(args.project, host=args.host, port=args.port, open_browser=args.open, drafts=args.drafts)


def _new(args: argparse.Namespace) -> int:
    from ..project.newclaim import add_claim

    path = add_claim(args.project, args.id)
    if not args.quiet:
        print(f"Added draft claim '{args.id}' at the end of the claims list in {path}.")
    return EXIT_OK


_COMMANDS = {"build": _build, "check": _check, "serve": _serve, "new": _new}
