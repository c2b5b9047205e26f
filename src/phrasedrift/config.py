"""Parameters of every stage, as frozen dataclasses composed into :class:`Config`.

Each field is a keyword option of its stage's entry function with the same name and default
(``clean_documents(documents, duplicate_threshold=0.8)``), so a script can tune one stage
directly and ``analyze()`` can pass a whole :class:`Config`. No threshold lives anywhere else.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
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
    "jr", "sr", "st", "fr", "messrs", "sens", "reps", "govs", "gens", "ret",
    # places and organisations
    "u.s", "u.n", "u.k", "e.u", "d.c", "u.s.a", "n.y", "l.a", "calif", "mass", "wash",
    "inc", "corp", "co", "ltd", "dept", "univ", "assn", "bros", "ft", "mt",
    # US states in AP style ("Sen. Chris Murphy, D-Conn."), except "ill" and "miss", which
    # often end a sentence as words
    "ala", "ariz", "ark", "colo", "conn", "del", "fla", "ga", "ind", "kan", "ky", "la", "md",
    "mich", "minn", "mo", "mont", "neb", "nev", "n.h", "n.j", "n.m", "n.c", "n.d", "okla",
    "ore", "pa", "r.i", "s.c", "s.d", "tenn", "tex", "vt", "va", "w.va", "wis", "wyo",
    # months and misc
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "nos", "vs", "etc", "approx", "est", "fig", "vol", "art", "p", "pp",
    "a.m", "p.m", "e.g", "i.e",
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


#: English function words: phrases are trimmed of them at both ends and they do not count as
#: content. (NLTK's stopword corpus needs a download; this list is ours.) Reflexive pronouns
#: are not in it: "defend itself" is a formula, "defend" is not.
FUNCTION_WORDS: tuple[str, ...] = (
    "a", "an", "the", "this", "that", "these", "those", "such", "some", "any", "each", "every",
    "all", "both", "either", "neither", "no", "other", "another", "same", "own",
    "i", "me", "my", "mine", "we", "us", "our", "ours", "you", "your", "yours", "he", "him",
    "his", "she", "her", "hers", "it", "its", "they", "them", "their", "theirs", "'s",
    "who", "whom", "whose", "which", "what", "where", "when", "why", "how", "whether",
    "there", "here", "then", "than", "so", "too", "very", "also", "just", "only", "even",
    "be", "am", "is", "are", "was", "were", "been", "being", "have", "has", "had", "having",
    "do", "does", "did", "doing", "will", "would", "shall", "should", "can", "could", "may",
    "might", "must", "ought", "wo", "n't", "not",
    "and", "or", "but", "nor", "yet", "if", "because", "as", "while", "although", "though",
    "unless", "until", "since", "after", "before", "once",
    "of", "in", "on", "at", "by", "for", "with", "about", "against", "between", "into",
    "through", "during", "above", "below", "to", "from", "up", "down", "out", "off", "over",
    "under", "again", "further", "within", "without", "toward", "upon", "across", "along",
    "amid", "among", "around", "behind", "beyond", "despite", "like", "near", "onto", "per",
    "via", "more", "most", "less", "least", "many", "much", "few", "several",
)  # fmt: skip

#: Verbs that report or frame speech ("Price said", "Blinken emphasized", "Sullivan conveyed").
#: They frame formulas rather than belong to them: phrase mining skips them (matched by stem,
#: so every inflection counts), and attribution looks for them.
ATTRIBUTION_VERBS: tuple[str, ...] = (
    "say", "said", "tell", "told", "add", "noted", "stated", "according", "announce", "assert",
    "explain", "emphasize", "emphasise", "stressed", "underscore", "reiterate", "reaffirm",
    "convey", "expressed", "urge", "discuss", "speak", "spoke", "agree", "acknowledge",
    "highlighted", "welcomed", "write", "wrote", "tweeted", "reported", "confirm", "declare",
    "insist", "warn", "argue", "claimed", "describe", "commented", "briefed", "mentioned",
    "remarked", "outlined", "cite",
)  # fmt: skip

#: Other words that are never part of a formula: titles and days.
EDGE_WORDS: tuple[str, ...] = (
    "mr", "ms", "mrs", "dr", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "today", "yesterday", "tomorrow",
)  # fmt: skip


@dataclass(frozen=True)
class MineConfig:
    """How recurring phrases are mined (:func:`phrasedrift.mine.mine_phrases`).

    min_docs: a phrase must occur in at least this many documents.
    min_sources: ... and in at least this many outlets (1: one outlet is enough, so a formula
        that one official repeats in several statements counts).
    min_content: least number of content (non-function) words in a phrase.
    max_length: longest phrase, in content words (at most 256).
    min_cohesion: least fair symmetric conditional probability (0..1) of a phrase (0: off).
    max_name_share: a phrase more than this share of whose words (those not starting a
        sentence) are capitalised is a name, not a formula.
    stopwords, edge_words, attribution_verbs: not content; phrases are made of the other words
        (an attribution verb ending in -ed or -ing is matched as written, for verbs that are
        also nouns: "stated" but not "the state of the Union", "according" but not "the
        peace accords"; the others by stem: "say" is also "says", "saying").
    stem: count Porter stems ("restoring" = "restore"), not normal forms.
    watch: phrases always tracked, however rare (also read from ``watch.txt`` in a corpus
        folder, one phrase per line).
    watch_threshold: least similarity (0..1, rapidfuzz ratio of stems) for a stretch of text
        to count as an occurrence of a watched phrase.
    split_ratio, split_margin: a phrase made of sub-phrases that are each at least
        ``split_ratio`` times as widespread, and in at least ``split_margin`` more documents, is
        a chance combination of formulas and is split into them.
    """

    min_docs: int = 2
    min_sources: int = 1
    min_content: int = 2
    max_length: int = 16
    min_cohesion: float = 0.0
    max_name_share: float = 0.67
    stopwords: tuple[str, ...] = FUNCTION_WORDS
    edge_words: tuple[str, ...] = EDGE_WORDS
    attribution_verbs: tuple[str, ...] = ATTRIBUTION_VERBS
    stem: bool = True
    split_ratio: float = 1.5
    split_margin: int = 2
    watch: tuple[str, ...] = ()
    watch_threshold: float = 0.85


@dataclass(frozen=True)
class GroupConfig:
    """How phrases become families and occurrences (:func:`phrasedrift.group.group_variants`).

    threshold: least similarity (0..1) for two phrases to be one formula.
    max_block: stems shared by more phrases than this are too common to propose pairs.
    max_gap: occurrences of one family this many tokens apart (or closer) in a sentence merge.
    max_modifiers: where no context aligns on the left, lowercase content words taken into a
        variant as modifiers ("strong support").
    max_extension: context tokens, on each side, aligned with other occurrences of the family;
        what aligns belongs to the variant ("and its people, while protecting civilians").
    min_alignment: least alignment score for context to count as shared.
    max_partners: other occurrences each occurrence's context is aligned with.
    max_aligned: families with more occurrences share context by exact runs of words, not
        by alignment (which costs too much there and is not needed with that much evidence).
    rare_threshold: a family that no longer recurs once words are claimed joins the family
        most similar to it when at least this similar (else it is left out).
    min_shared: least distinct content stems two phrases share for one to be contained in
        the other. 1 lets one rare word in common link them ("close touch" / "stay in
        touch", but also "sound government" / "the state of our Union is sound"); 2 asks for
        two, which suits long speeches with a broad vocabulary but splits some real families
        of short news copy (on the sample corpus it loses one gold occurrence).
    extension_share, extension_min_docs: a family of at least ``extension_min_docs``
        documents whose occurrences (this share of them) follow another family's is an
        extension of that family (", while protecting civilians").
    """

    threshold: float = 0.7
    max_block: int = 128
    max_gap: int = 2
    max_modifiers: int = 2
    max_extension: int = 12
    min_alignment: float = 1.5
    max_partners: int = 4
    max_aligned: int = 64
    rare_threshold: float = 0.5
    min_shared: int = 1
    extension_share: float = 0.8
    extension_min_docs: int = 3


#: Verbs by which an official states a position in indirect speech ("Sullivan condemned").
POSITION_VERBS: tuple[str, ...] = (
    "reaffirm", "reiterate", "condemn", "convey", "underscore", "emphasize", "emphasise",
    "urge", "express", "call", "stress", "welcome", "support", "warn", "pledge", "vow",
    "insist", "praise", "criticize", "denounce", "affirm", "assure", "demand", "ask", "note",
)  # fmt: skip


@dataclass(frozen=True)
class AttributeConfig:
    """How occurrences are attributed (:func:`phrasedrift.attribute.attribute_occurrences`).

    attribution_verbs: verbs that frame speech ("said", "told", "according"), matched as in
        :class:`MineConfig`.
    position_verbs: verbs that report a position in indirect speech ("reaffirmed",
        "condemned"): a clause with a named subject and one of them is reported speech.
    utterance_days: occurrences of one family by one principal at most this many days apart
        can be one utterance (a statement reprinted by several outlets).
    utterance_similarity: ... when their wordings are at least this alike (0..1, rapidfuzz
        ratio of the lowercased variants without quotation marks); an occurrence in a
        near-duplicate document joins the most alike one of its original this alike.
    """

    attribution_verbs: tuple[str, ...] = ATTRIBUTION_VERBS
    position_verbs: tuple[str, ...] = POSITION_VERBS
    utterance_days: int = 3
    utterance_similarity: float = 0.9


#: The alias of a decade (1790-1799, labelled "1790s"), which pandas has no period for.
DECADE = "10Y"

#: Periods a time axis can be cut into, shortest first: alias -> name. The aliases are pandas
#: period aliases except :data:`DECADE`, whose periods start in a year ending in 0.
PERIODS: dict[str, str] = {"D": "day", "W": "week", "M": "month", "Y": "year", DECADE: "decade"}

#: What a count counts: every reproduction of a statement (``mentions``), or each distinct
#: statement once however many outlets carry it (``utterances``).
UNITS: tuple[str, ...] = ("utterances", "mentions")


@dataclass(frozen=True)
class DriftConfig:
    """How wording drift is measured (:mod:`phrasedrift.drift`).

    freq: the period of every time table, one of :data:`PERIODS` (alias or name); None
        chooses it from the corpus span (see ``max_periods``).
    max_periods: the chosen period is the shortest of day, week, month, year and decade that
        cuts the span into at most this many periods (fewer, fuller periods give steadier
        shares); decades however long the span.
    unit: what shares, drift scores and signatures count, one of :data:`UNITS`.
    prior_strength: pseudo-counts of the informative Dirichlet prior of the signature log-odds
        (spread over a family's variants in proportion to their pooled use); larger values
        shrink the scores of rarely used variants more.
    """

    freq: str | None = None
    max_periods: int = 24
    unit: str = "utterances"
    prior_strength: float = 10.0


@dataclass(frozen=True)
class ReportConfig:
    """What the report contains and which formats are written.

    formats: any of ``html``, ``pdf``, ``csv``.
    max_listed: longest list (removed lines, problems, undated documents) shown in full; the
        rest is in the CSV exports and the report says how many were left out.
    max_family_pages: the most widespread families that get a page of their own (plots, diffs,
        slot fillers, concordance); the report says how many families were left out.
    max_concordance: the most concordance lines shown on one family's page (the first by
        date); the rest are in ``csv/concordance.csv`` and the page says how many.
    context_chars: characters of text shown on each side of a match in a concordance line.
    workers: processes that draw the figures while the rest of the report is built; None
        means one per CPU core, 1 draws them in this process (as on systems that cannot fork).
    """

    formats: tuple[str, ...] = ("html", "pdf", "csv")
    max_listed: int = 200
    max_family_pages: int = 10
    max_concordance: int = 25
    context_chars: int = 70
    workers: int | None = None


@dataclass(frozen=True)
class EngineConfig:
    """Where the work runs.

    kind: the engine of the per-document stages (cleaning with its near-duplicate sketch,
        tokens): ``local`` (worker processes on this machine) or ``dask`` (a Dask cluster;
        ``pip install 'phrasedrift[dask]'``). The cross-document stages (duplicates, mine,
        group, attribute, drift) run in this process with either.
    scheduler: for ``dask``: a scheduler address (``tcp://host:8786``) or a
        ``distributed.Client``; None starts a local cluster of ``workers`` processes for the
        run.
    workers: processes for the per-document stages; None means one per CPU core, 1 runs
        everything in this process (``local``). With ``dask`` and a scheduler, the cluster's
        threads count instead.
    min_part: least documents per part handed to a worker (smaller corpora run here).
    progress: show a progress bar over the parts and one line per finished stage on stderr;
        None shows them when stderr is a terminal.
    cache_dir: a folder keeping the outputs of the per-document stages (clean text, removed
        lines, near-duplicate sketch, sentences, tokens) by document (hash of ``doc_id`` and
        text) and stage options, so a re-run computes only new or changed documents; None
        keeps nothing. The cross-document stages always run in full.
    """

    kind: str = "local"
    scheduler: Any = None
    workers: int | None = None
    min_part: int = 250
    progress: bool | None = None
    cache_dir: str | Path | None = None


@dataclass(frozen=True)
class Config:
    """All parameters of one run, one dataclass per stage."""

    corpus: CorpusConfig = field(default_factory=CorpusConfig)
    clean: CleanConfig = field(default_factory=CleanConfig)
    tokens: TokensConfig = field(default_factory=TokensConfig)
    mine: MineConfig = field(default_factory=MineConfig)
    group: GroupConfig = field(default_factory=GroupConfig)
    attribute: AttributeConfig = field(default_factory=AttributeConfig)
    drift: DriftConfig = field(default_factory=DriftConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    engine: EngineConfig = field(default_factory=EngineConfig)

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """Every parameter by stage, for the report's method section."""
        return {f.name: options(getattr(self, f.name)) for f in dataclasses.fields(self)}


def options(stage_config: Any) -> dict[str, Any]:
    """The keyword options of a stage function from its config dataclass (shallow)."""
    return {f.name: getattr(stage_config, f.name) for f in dataclasses.fields(stage_config)}
