"""The ``phrasedrift`` command: parses arguments into a Config and calls the library.

    phrasedrift report CORPUS [--output DIR] [--formats html,pdf,csv]
    phrasedrift families CORPUS [--top N]
    phrasedrift track "PHRASE" CORPUS
    phrasedrift evaluate GOLD.csv CORPUS
    phrasedrift roster suggest CORPUS [-o FILE] [--force]

Every command takes --text-column NAME; the analysing ones (all but ``roster``) also take
--watch PHRASE (repeatable), --min-docs N, --engine local|dask, --scheduler ADDRESS,
--workers N and --cache DIR.

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
from typing import TYPE_CHECKING, Any, TextIO

import pandas as pd

from phrasedrift._version import __version__
from phrasedrift.config import (
    Config,
    CorpusConfig,
    EngineConfig,
    MineConfig,
    ReportConfig,
    options,
)
from phrasedrift.errors import PhrasedriftError, PhrasedriftWarning

if TYPE_CHECKING:
    from phrasedrift.pipeline import Result

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
    verbosity.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="show progress and stage timings even when stderr is not a terminal",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    report = commands.add_parser(
        "report",
        help="analyse a corpus and write the HTML/PDF report and CSV tables",
        description="Analyse CORPUS (a folder, a document or manifest file) and write its report.",
    )
    _corpus_arguments(report)
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

    families = commands.add_parser(
        "families",
        help="print the top formula families of a corpus",
        description="Analyse CORPUS and print its most widespread formula families.",
    )
    _corpus_arguments(families)
    families.add_argument("--top", type=int, default=20, help="families to print (default: 20)")

    track = commands.add_parser(
        "track",
        help="list every occurrence of one formula's family",
        description="Track PHRASE in CORPUS: every occurrence of its family, oldest first.",
    )
    track.add_argument("phrase", help='the formula, e.g. "ironclad support"')
    _corpus_arguments(track)

    evaluate = commands.add_parser(
        "evaluate",
        help="score the formula families against hand-annotated gold occurrences",
        description="Score the analysis of CORPUS against GOLD (a CSV like seed-formulas.csv).",
    )
    evaluate.add_argument("gold", type=Path, help="gold CSV: doc, family, variant, nth, ...")
    _corpus_arguments(evaluate)
    evaluate.add_argument(
        "--min-overlap",
        type=float,
        default=0.5,
        help="share of a gold span a prediction must cover (default: 0.5)",
    )
    _roster_parser(commands)
    return parser


def _roster_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    roster = commands.add_parser(
        "roster",
        help="work with rosters of officials (roster.yaml)",
        description="Work with the roster of officials of a corpus (roster.yaml).",
    )
    actions = roster.add_subparsers(dest="roster_command", metavar="ACTION", required=True)
    suggest = actions.add_parser(
        "suggest",
        help="propose a roster from the names and titles in a corpus",
        description=(
            "Propose a roster from the officials named in CORPUS (titles, appositions, "
            "honorifics), as YAML for you to check and edit."
        ),
    )
    suggest.add_argument("corpus", type=Path, help="corpus folder, document or manifest file")
    suggest.add_argument(
        "--text-column",
        default=CorpusConfig.text_column,
        help=f"manifest column holding the text (default: {CorpusConfig.text_column})",
    )
    suggest.add_argument(
        "-o", "--output", type=Path, default=None, help="write the YAML here (default: stdout)"
    )
    suggest.add_argument(
        "--force", action="store_true", help="overwrite the output file if it exists"
    )


def _corpus_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("corpus", type=Path, help="corpus folder, document or manifest file")
    parser.add_argument(
        "--text-column",
        default=CorpusConfig.text_column,
        help=f"manifest column holding the text (default: {CorpusConfig.text_column})",
    )
    parser.add_argument(
        "--watch",
        action="append",
        default=[],
        metavar="PHRASE",
        help="a phrase to track however rare (repeatable; also read from watch.txt)",
    )
    parser.add_argument(
        "--min-docs",
        type=int,
        default=MineConfig.min_docs,
        help=f"documents a phrase must recur in (default: {MineConfig.min_docs})",
    )
    parser.add_argument(
        "--engine",
        default=EngineConfig.kind,
        help=(
            "where cleaning and tokens run: local (worker processes here) or dask "
            f"(default: {EngineConfig.kind})"
        ),
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="the Dask scheduler, e.g. tcp://HOST:8786 (default: a local Dask cluster)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=EngineConfig.workers,
        help="worker processes (default: one per CPU core)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        metavar="DIR",
        help="keep cleaning and tokens per document in DIR; a re-run computes only new ones",
    )


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


def _analyze(args: argparse.Namespace, *, watch: Sequence[str] = ()) -> Result:
    from phrasedrift.corpus import load_corpus
    from phrasedrift.pipeline import analyze

    formats = getattr(args, "formats", ReportConfig.formats)
    config = Config(
        corpus=CorpusConfig(text_column=args.text_column),
        mine=MineConfig(min_docs=args.min_docs),
        report=ReportConfig(formats=formats),
        engine=EngineConfig(
            kind=args.engine,
            scheduler=args.scheduler,
            workers=args.workers,
            progress=False if args.quiet else True if args.verbose else None,
            cache_dir=args.cache,
        ),
    )
    corpus = load_corpus(args.corpus, text_column=args.text_column)
    return analyze(corpus, config=config, watch=[*args.watch, *watch])


def _report(args: argparse.Namespace) -> int:
    from phrasedrift.report import render_report

    result = _analyze(args)
    output = args.output or Path("reports") / result.name
    written = render_report(result, output, **options(result.config.report))
    if not args.quiet:
        print(
            f"{len(result.documents)} documents, {len(result.sentences)} sentences, "
            f"{len(result.tokens)} tokens, {len(result.families)} formula families"
        )
        for path in written.values():
            print(f"wrote {path}")
    return 0


def _families(args: argparse.Namespace) -> int:
    families = _analyze(args).families.head(args.top)
    if families.empty:
        print(f"no phrase recurs in {args.min_docs} or more documents")
        return 0
    dates = zip(families["first_date"], families["last_date"], strict=True)
    table = families.assign(dates=[_date_range(a, b) for a, b in dates])[
        ["label", "n_docs", "n_occurrences", "n_variants", "n_sources", "dates"]
    ]
    table.columns = ["family", "documents", "occurrences", "variants", "sources", "dates"]
    print(table.to_string(index=False))
    return 0


def _track(args: argparse.Namespace) -> int:
    result = _analyze(args, watch=[args.phrase])
    watched = result.members[result.members["how"] == "watch"]
    from phrasedrift.mine import phrase_key

    key = phrase_key(args.phrase, result.config.mine)
    family = watched.loc[watched["phrase"] == key, "family_id"]
    if family.empty:
        raise PhrasedriftError(f"{args.phrase!r} does not occur in {args.corpus}")
    family_id = str(family.iloc[0])
    label = str(result.families.set_index("family_id").at[family_id, "label"])
    occurrences = result.occurrences[result.occurrences["family_id"] == family_id]
    occurrences = occurrences.sort_values(["date", "doc_id", "start"], na_position="last")
    print(f"family: {label} ({len(occurrences)} occurrences)")
    table = occurrences.assign(date=occurrences["date"].dt.strftime("%Y-%m-%d").fillna("undated"))
    print(table[["date", "source", "doc_id", "surface"]].to_string(index=False))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from phrasedrift.evaluate import read_gold, score_attribution, score_families

    gold = read_gold(args.gold)
    result = _analyze(args)
    score = score_families(result.occurrences, gold, result.documents, min_overlap=args.min_overlap)
    for name, value in score.as_dict().items():
        print(f"{name:>16}: {value}")
    for name, share in score_attribution(score.matches).items():
        if name != "n":
            print(f"{name:>16}: {share:.4f}")
    return 0


def _roster(args: argparse.Namespace) -> int:
    from phrasedrift.clean import clean_documents
    from phrasedrift.corpus import load_corpus
    from phrasedrift.roster import roster_yaml, suggest_roster

    output: Path | None = args.output
    if output is not None and output.exists() and not args.force:
        raise PhrasedriftError(f"{output} exists; use --force to overwrite it")
    corpus = load_corpus(args.corpus, text_column=args.text_column)
    roster = suggest_roster(clean_documents(corpus.documents).documents)
    text = roster_yaml(roster)
    if output is None:
        sys.stdout.write(text)
        return 0
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise PhrasedriftError(
            f"{output}: cannot be written ({error.strerror or error})"
        ) from error
    if not args.quiet:
        print(f"wrote {output} ({len(roster.people)} people)")
    return 0


def _date_range(first: pd.Timestamp, last: pd.Timestamp) -> str:
    if pd.isna(first):
        return "undated"
    a, b = first.date(), last.date()
    return str(a) if a == b else f"{a} to {b}"


COMMANDS = {
    "report": _report,
    "families": _families,
    "track": _track,
    "evaluate": _evaluate,
    "roster": _roster,
}


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
