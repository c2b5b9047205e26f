"""Parameters of every stage, as frozen dataclasses composed into :class:`Config`.

Each field is a keyword option of its stage's entry function with the same name and default
(``clean_documents(documents, duplicate_threshold=0.8)``), so a script can tune one stage
directly and ``analyze()`` can pass a whole :class:`Config`. No threshold lives anywhere else.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

#: File name extensions read as plain-text documents (optional YAML front matter).
TEXT_EXTENSIONS: tuple[str, ...] = (".txt", ".md", ".markdown")
#: File name extensions read as HTML pages (main text extracted).
HTML_EXTENSIONS: tuple[str, ...] = (".html", ".htm")
#: File name extensions read as manifests: one document per row, or metadata for files.
MANIFEST_EXTENSIONS: tuple[str, ...] = (".csv", ".jsonl", ".parquet")


@dataclass(frozen=True)
class CorpusConfig:
    """How documents are read (:func:`phrasedrift.corpus.load_corpus`).

    text_column: the manifest column holding each document's text.
    recursive: read sub-folders of a corpus folder too.
    """

    text_column: str = "text"
    recursive: bool = True


#: Boilerplate line rules: (name, regular expression matched against a whole stripped line,
#: case-insensitive). They describe the furniture of news pages, not any one outlet.
BOILERPLATE_RULES: tuple[tuple[str, str], ...] = (
    ("advertisement", r"(advertisement|advertising|sponsored( content)?|ad|promoted)"),
    (
        "follow us",
        r"((for (the )?(latest|more|breaking)[^.]{0,60}[,:]\s*)?follow\b.{0,60}\b(on|via)\b.{0,40}"
        r"\b(facebook|twitter|x|instagram|telegram|whatsapp|youtube|tiktok|linkedin|"
        r"google news|threads|bluesky|the app)\b.*|click .{0,40}\bfollow\b.*|follow us\b.*)",
    ),
    (
        "subscription",
        r"(subscribe\b.*|(sign up|register|get|receive|join)\b.{0,40}\bnewsletters?\b.*|"
        r"already (signed up|a subscriber|registered|have an account)\b.*|"
        r"(log ?in|sign ?in)( to .{0,40})?|.*\bsubscriber comments\b.*|subscribers only\b.*|"
        r".{0,40}\bsubscribe (now|today)\b.*)",
    ),
    (
        "read more",
        r"((read|see|watch|listen)( also| more)?|related( articles?| stories| coverage| news)?|"
        r"also read|more on this( story)?|recommended( for you)?|most (read|popular|viewed)|"
        r"trending( now)?|you (may|might) also like|more from [\w .'’-]+|latest news)"
        r"\s*([:|>»]\s*.*)?",
    ),
    ("call to action", r"(?-i:.*[.!?]\s*(LISTEN|WATCH|READ MORE|CLICK HERE|PLAY VIDEO)\s*[.!]?)"),
    (
        "photo credit",
        r"(.*\b(credit|photo|photograph|image|picture|illustration|file photo)( by| credit)?\s*:"
        r"\s*\S.*|.*\((photo|image|credit)[^)]*\)|(photo|image|credit) by .*)",
    ),
    ("copyright", r"(©|\(c\)|copyright\b).{0,120}"),
    (
        "share line",
        r"(share|print|e-?mail|tweet|copy link|comments?)"
        r"(\s+(this|article|story|page|on|via|to|facebook|twitter|x|whatsapp|e-?mail|link|\d+))*"
        r"\s*:?",
    ),
)


@dataclass(frozen=True)
class CleanConfig:
    """How documents are cleaned (:func:`phrasedrift.clean.clean_documents`).

    fix_unicode: repair mojibake and normalise quotes, dashes and spaces.
    boilerplate: named line rules removed wherever they match a whole line.
    max_boilerplate_words: longer lines are never boilerplate.
    max_tail_words, min_tail_headlines: the lines after a document's last boilerplate line are
        a trailing list of unrelated headlines and captions when none has more than
        ``max_tail_words`` words and at least ``min_tail_headlines`` lack final punctuation.
    max_byline_line: a lone personal name within this many first lines is a byline.
    duplicate_threshold: Jaccard similarity of word shingles from which two documents are
        near-duplicates (the same wire copy in two outlets).
    shingle_size: words per shingle for near-duplicate detection.
    minhash_permutations, lsh_bands: MinHash signature length and LSH bands; candidates are
        verified with the exact Jaccard similarity, so these trade speed for recall only.
    """

    fix_unicode: bool = True
    boilerplate: tuple[tuple[str, str], ...] = BOILERPLATE_RULES
    max_boilerplate_words: int = 25
    max_tail_words: int = 25
    min_tail_headlines: int = 2
    max_byline_line: int = 8
    duplicate_threshold: float = 0.8
    shingle_size: int = 5
    minhash_permutations: int = 64
    lsh_bands: int = 16


#: Abbreviations (lowercase, without the final period) after which a sentence does not end.
ABBREVIATIONS: tuple[str, ...] = (
    # titles and ranks
    "mr", "mrs", "ms", "dr", "prof", "rev", "hon", "sen", "rep", "gov", "pres", "sec", "amb",
    "gen", "lt", "col", "maj", "capt", "cmdr", "adm", "brig", "sgt", "cpl", "pvt",
    "jr", "sr", "st", "fr", "messrs",
    # places and organisations
    "u.s", "u.n", "u.k", "e.u", "d.c", "u.s.a", "n.y", "l.a", "calif", "mass", "wash",
    "inc", "corp", "co", "ltd", "dept", "univ", "assn", "bros",
    # months and misc
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "nos", "vs", "etc", "approx", "est", "fig", "vol", "art", "p", "pp",
)  # fmt: skip

#: Spelling variants folded to one normal form (British -> American, and common pairs).
SPELLING_VARIANTS: tuple[tuple[str, str], ...] = (
    ("adviser", "advisor"), ("advisers", "advisors"),
    ("defence", "defense"), ("offence", "offense"), ("licence", "license"),
    ("honour", "honor"), ("labour", "labor"), ("favour", "favor"), ("behaviour", "behavior"),
    ("neighbour", "neighbor"), ("neighbours", "neighbors"), ("colour", "color"),
    ("endeavour", "endeavor"), ("rumour", "rumor"), ("harbour", "harbor"),
    ("centre", "center"), ("theatre", "theater"), ("programme", "program"),
    ("organisation", "organization"), ("organisations", "organizations"),
    ("recognise", "recognize"), ("recognised", "recognized"), ("emphasise", "emphasize"),
    ("emphasised", "emphasized"), ("criticise", "criticize"), ("criticised", "criticized"),
    ("apologise", "apologize"), ("stabilise", "stabilize"), ("normalisation", "normalization"),
    ("mobilisation", "mobilization"), ("authorise", "authorize"), ("authorised", "authorized"),
    ("civilisation", "civilization"), ("militarisation", "militarization"),
    ("judgement", "judgment"), ("towards", "toward"),
)  # fmt: skip


@dataclass(frozen=True)
class TokensConfig:
    """How text is split into sentences and tokens (:func:`phrasedrift.tokens.tokenize`).

    abbreviations: words after which a period does not end a sentence.
    spelling_variants: pairs (variant, normal form) folded in the ``norm`` column.
    stem: add a Porter stem to ``norm`` (``norm`` becomes the stem).
    """

    abbreviations: tuple[str, ...] = ABBREVIATIONS
    spelling_variants: tuple[tuple[str, str], ...] = SPELLING_VARIANTS
    stem: bool = False


@dataclass(frozen=True)
class ReportConfig:
    """What the report contains and which formats are written.

    formats: any of ``html``, ``pdf``, ``csv``.
    max_listed: longest list (removed lines, problems, undated documents) shown in full; the
        rest is in the CSV exports and the report says how many were left out.
    """

    formats: tuple[str, ...] = ("html", "pdf", "csv")
    max_listed: int = 200


@dataclass(frozen=True)
class Config:
    """All parameters of one run, one dataclass per stage."""

    corpus: CorpusConfig = field(default_factory=CorpusConfig)
    clean: CleanConfig = field(default_factory=CleanConfig)
    tokens: TokensConfig = field(default_factory=TokensConfig)
    report: ReportConfig = field(default_factory=ReportConfig)

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """Every parameter by stage, for the report's method section."""
        return {f.name: dataclasses.asdict(getattr(self, f.name)) for f in dataclasses.fields(self)}


def options(stage_config: Any) -> dict[str, Any]:
    """The keyword options of a stage function from its config dataclass (shallow)."""
    return {f.name: getattr(stage_config, f.name) for f in dataclasses.fields(stage_config)}
