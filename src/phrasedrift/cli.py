"""The ``phrasedrift`` command: parses arguments into a Config and calls the library.

    phrasedrift report CORPUS [--output DIR] [--formats html,pdf,csv] [--text-column NAME]

User errors (:class:`PhrasedriftError`) print one line, ``phrasedrift: error: ...``, and exit
with status 1; warnings print as ``phrasedrift: warning: ...`` and the run goes on. Status 2 is
a usage error (argparse).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from phrasedrift._version import __version__
from phrasedrift.config import Config, CorpusConfig, ReportConfig, options
from phrasedrift.errors import PhrasedriftError, PhrasedriftWarning

PROG = "phrasedrift"


def _formats(value: str) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in value.split(",") if part.strip())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Find recurring formulas of official rhetoric and how their wording drifts.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="print stage timings")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    report = commands.add_parser(
        "report",
        help="analyse a corpus and write the HTML/PDF report and CSV tables",
        description="Analyse CORPUS (a folder, a document or manifest file) and write its report.",
    )
    report.add_argument("corpus", type=Path, help="corpus folder, document or manifest file")
    report.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="output folder (default: reports/<corpus name>)",
    )
    report.add_argument(
        "--formats",
        type=_formats,
        default=ReportConfig.formats,
        help=f"comma-separated formats (default: {','.join(ReportConfig.formats)})",
    )
    report.add_argument(
        "--text-column",
        default=CorpusConfig.text_column,
        help=f"manifest column holding the text (default: {CorpusConfig.text_column})",
    )
    return parser


@contextmanager
def _user_warnings(stream: TextIO, quiet: bool) -> Iterator[None]:
    """Show phrasedrift warnings as one plain line each (or not at all with --quiet)."""
    original = warnings.showwarning

    def show(message: Any, category: Any, *args: Any, **kwargs: Any) -> None:
        if issubclass(category, PhrasedriftWarning):
            if not quiet:
                print(f"{PROG}: warning: {message}", file=stream)
        else:
            original(message, category, *args, **kwargs)

    with warnings.catch_warnings():
        warnings.simplefilter("always", PhrasedriftWarning)
        warnings.showwarning = show
        try:
            yield
        finally:
            warnings.showwarning = original


def _report(args: argparse.Namespace) -> int:
    from phrasedrift.corpus import load_corpus
    from phrasedrift.pipeline import analyze
    from phrasedrift.report import render_report

    config = Config(
        corpus=CorpusConfig(text_column=args.text_column),
        report=ReportConfig(formats=args.formats),
    )
    corpus = load_corpus(args.corpus, text_column=args.text_column)
    result = analyze(corpus, config=config)
    output = args.output or Path("reports") / result.name
    written = render_report(result, output, **options(config.report))
    if args.verbose:
        for stage, seconds in result.timings.items():
            print(f"{stage:>10}: {seconds:.2f} s")
    if not args.quiet:
        print(
            f"{len(result.documents)} documents, {len(result.sentences)} sentences, "
            f"{len(result.tokens)} tokens"
        )
        for path in written.values():
            print(f"wrote {path}")
    return 0


COMMANDS = {"report": _report}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        with _user_warnings(sys.stderr, args.quiet):
            return COMMANDS[args.command](args)
    except PhrasedriftError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
