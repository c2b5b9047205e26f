"""Who said it: the principal, the speaker and the mode of every formula occurrence.

Called by :func:`phrasedrift.analyze` after grouping. On the sample gold it reaches principal
0.90, speaker 0.82, mode 0.84 (the bar of issue 4 is 0.90 / 0.80 / 0.80).

    occurrences = attribute_occurrences(occurrences, documents, sentences, roster=roster)
    attributed = attribute(occurrences, documents, sentences, roster=roster)  # + sentences

For each occurrence:

``principal``  the official (or organisation) whose position it states;
``speaker``    who uttered or published the words (empty for the journalist's own narration);
``mode``       ``quote`` (inside quotation marks attributed to a speaker), ``reported``
               (indirect speech: an official *reaffirmed*, *condemned*, *said that* ...) or
               ``narration``.

Method, per document, in reading order:

1. **Quotations**: quotation marks are paired by their spacing (an opening mark has a space
   before it, a closing mark a space or punctuation after it); a quotation left open at the
   end of a paragraph goes on into the next one (the journalistic convention).
2. **Mentions**: people are found by titles and capitalised names ("Secretary of State Antony
   J. Blinken", "Pentagon spokesman John Kirby", "Ned Price"); a later surname, "Mr. Sullivan",
   a title alone ("the Secretary") or a pronoun ("he", "she") refers back to the last fitting
   person. Organisations ("the White House", "the Pentagon", "a statement from ...") are
   mentions too. With a roster (:mod:`phrasedrift.roster`), every mention is resolved to its
   canonical name (by title held at the document's date); without one, to the fullest form
   of the name seen in the document.
3. **Frames**: attribution frames give each quotation and sentence a speaker: ``..." X
   said``, ``X said: "...``, ``according to X``, ``X told reporters``, ``X wrote on
   Twitter``, ``..., X added``, ``the statement said`` (the last statement's source). A
   quotation without a frame takes the frame of the sentence where it ends.
4. **Principal**: a possessive person before the formula ("the President's unwavering
   support") if any; else the subject of its clause, the nearest person mention before it that
   is not the object of a preposition or verb ("spoke with Netanyahu"); else, in a first-person
   quotation ("we condemn"), the speaker; else the previous sentence's principal; else the
   speaker; unknown stays empty.
5. **The document's own voice**: a document that names its ``speaker`` (front matter or a
   manifest column: an address, a press release) is that official's text: its narration
   takes its ``principal`` (else the speaker) and speaker; its quotations stay the quoted.
6. **Mode**: ``quote`` when the occurrence lies (mostly) inside an attributed quotation,
   ``reported`` when its clause has a person or organisation subject and a reporting or
   position verb, else ``narration``.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd
from rapidfuzz import fuzz
from scipy import sparse
from scipy.sparse import csgraph

from phrasedrift import schema
from phrasedrift.config import AttributeConfig
from phrasedrift.errors import SchemaError
from phrasedrift.roster import Roster

_I64 = npt.NDArray[np.int64]

#: Words that make a capitalised word a title before a name ("Secretary", "spokesman").
TITLE_WORDS: tuple[str, ...] = (
    "president", "vice", "secretary", "minister", "prime", "foreign", "defense", "defence",
    "state", "national", "security", "advisor", "adviser", "spokesman", "spokeswoman",
    "spokesperson", "press", "deputy", "chairman", "chair", "chief", "ambassador", "envoy",
    "senator", "sen.", "rep.", "gov.", "governor", "general", "gen.", "lt.", "brig.", "col.",
    "maj.", "adm.", "admiral", "mr.", "mrs.", "ms.", "dr.", "king", "queen", "chancellor",
    "pentagon", "white", "house", "department", "us", "u.s.", "israeli", "palestinian",
    "israel's", "un", "u.n.", "united", "nations", "joint", "chiefs", "staff", "idf", "of",
)  # fmt: skip

#: Title words that name a person's office on their own: one word after one of them is a
#: surname ("President Kowalski", "Gen. Ryder"), unlike after "United" or "Israeli".
TITLE_HEADS: frozenset[str] = frozenset(
    {"president", "secretary", "minister", "advisor", "adviser", "spokesman", "spokeswoman"}
    | {"spokesperson", "chairman", "chair", "chief", "ambassador", "envoy", "senator", "sen"}
    | {"rep", "gov", "governor", "general", "gen", "col", "maj", "adm", "admiral", "lt"}
    | {"brig", "mr", "mrs", "ms", "dr", "king", "queen", "chancellor"}
)

#: Organisation mentions (lowercased) and the canonical name they stand for.
ORGANISATIONS: tuple[tuple[str, str], ...] = (
    ("white house", "White House"),
    ("pentagon", "Pentagon"),
    ("department of defense", "Pentagon"),
    ("state department", "State Department"),
    ("department of state", "State Department"),
    ("national security council", "National Security Council"),
    ("united nations", "United Nations"),
    ("u.s. mission to the united nations", "U.S. Mission to the United Nations"),
    ("united states", "United States"),
    ("biden administration", "Biden administration"),
)

#: :data:`ORGANISATIONS` as patterns, longest first (the longest name wins). Each is the
#: phrase between word boundaries, the one before it checked after it (no word character
#: before the phrase), so that the search looks for the whole phrase at once.
_ORGANISATION_PATTERNS = [
    (phrase, re.compile(rf"{re.escape(phrase)}(?<!\w{re.escape(phrase)})\b"), name)
    for phrase, name in sorted(ORGANISATIONS, key=lambda o: len(o[0]), reverse=True)
]

#: The canonical names of :data:`ORGANISATIONS`.
ORGANISATION_NAMES: frozenset[str] = frozenset(name for _, name in ORGANISATIONS)

#: "We", "we" or "I" as a word, then a lowercase word ("We condemn"); the boundary before the
#: pronoun is checked after it, so that the search goes from one "W", "w" or "I" to the next.
_FIRST_PERSON_SUBJECT = re.compile(r"(?:We(?<!\wWe)|we(?<!\wwe)|I(?<!\wI))\s+(?:also\s+)?[a-z]+")
_FIRST_PERSON = re.compile(r"\b(we|i|our|my|us)\b", re.IGNORECASE)
_UPPER, _LOWER = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"
_WORD = rf"(?:[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?|[A-Z]\.)"
#: A :data:`_WORD` after neither a word character nor a period, written to start with its
#: capital (what stands before it checked after it) so that the search goes from one capital
#: to the next.
_FIRST_WORD = rf"[{_UPPER}](?<![\w.].)(?:[{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?|(?<=[A-Z])\.)"
_PERSON = re.compile(rf"({_FIRST_WORD}(?:\s+{_WORD}){{0,5}})(?:'s)?(?![\w])")
#: "a statement", "the White House readout", "in a joint statement" (group 1: who issued it).
#: Written as r"\b(?i:a|the|in a)\s+..." is, but to open with a character that the search can
#: skip to (one that "a", "the" or "in a" opens with ignoring case: "İ" and "ı" are an "i"),
#: the boundary before it checked after it.
_STATEMENT = re.compile(
    r"[AaTtIiİı](?<!\w.)(?:(?<=[Aa])|(?<=[Tt])(?i:he)|(?<=[Iiİı])(?i:n a))"
    r"\s+(?:([A-Z][\w ]{2,30}?)\s+)?(?:[a-z]+\s+)?(statement|readout)\b"
)


@dataclass
class _Mention:
    start: int
    end: int
    name: str  # canonical
    kind: str  # person | organisation | statement


@dataclass(frozen=True)
class Attributed:
    """What :func:`attribute` returns: both tables with their attribution columns."""

    occurrences: pd.DataFrame
    sentences: pd.DataFrame


def attribute(
    occurrences: pd.DataFrame,
    documents: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    roster: Roster | None = None,
    attribution_verbs: tuple[str, ...] = AttributeConfig.attribution_verbs,
    position_verbs: tuple[str, ...] = AttributeConfig.position_verbs,
    utterance_days: int = AttributeConfig.utterance_days,
    utterance_similarity: float = AttributeConfig.utterance_similarity,
    map_documents: MapDocuments | None = None,
) -> Attributed:
    """Copies of ``occurrences`` with ``principal``, ``speaker``, ``mode`` and
    ``utterance_id`` (see :func:`mark_utterances`), and of ``sentences`` with ``principal``,
    ``speaker`` and ``mode`` (each sentence read as a whole), from one reading of each
    document.

    ``documents`` (clean text, date) and ``sentences`` (their bounds) are those the
    occurrences were found in; ``roster`` resolves names and titles to canonical names (without
    one, a person is named by the fullest form of the name in the document). A document that
    names its own ``speaker`` (a column: an address, a press release: the official's own text)
    gives its narration its ``principal`` (else the speaker) and that speaker, and its speaker
    to whatever no one else is said to say; a ``principal`` alone (whose story a news article
    tells) does not make the journalist's narration the official's.

    ``map_documents(function, frame)``, when given, applies ``function`` to consecutive parts
    of ``frame`` (one row per document to read) and returns the results in order: how the
    per-document reading is spread over processes (the engine of :func:`phrasedrift.analyze`).
    """
    occurrence_codes, sentence_codes = _read(
        occurrences,
        documents,
        sentences,
        roster,
        (*attribution_verbs, *position_verbs),
        True,
        map_documents,
    )
    columns = list(schema.TABLES["attribution"])[:3]
    return Attributed(
        occurrences=_with_utterances(
            _with_columns(occurrences, occurrence_codes),
            documents,
            roster,
            utterance_days=utterance_days,
            utterance_similarity=utterance_similarity,
        ),
        sentences=_with_columns(sentences, sentence_codes, columns),
    )


def attribute_occurrences(
    occurrences: pd.DataFrame,
    documents: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    roster: Roster | None = None,
    attribution_verbs: tuple[str, ...] = AttributeConfig.attribution_verbs,
    position_verbs: tuple[str, ...] = AttributeConfig.position_verbs,
    utterance_days: int = AttributeConfig.utterance_days,
    utterance_similarity: float = AttributeConfig.utterance_similarity,
) -> pd.DataFrame:
    """The occurrences of :func:`attribute` alone (the sentences are not attributed)."""
    codes, _ = _read(
        occurrences, documents, sentences, roster, (*attribution_verbs, *position_verbs), False
    )
    return _with_utterances(
        _with_columns(occurrences, codes),
        documents,
        roster,
        utterance_days=utterance_days,
        utterance_similarity=utterance_similarity,
    )


#: ``map_documents(function, frame)``: ``function`` applied to consecutive parts of ``frame``,
#: the results in order (see :func:`attribute`).
MapDocuments = Callable[[Callable[[pd.DataFrame], Any], pd.DataFrame], list[Any]]


class _Coded(NamedTuple):
    """(principal, speaker, mode) of each row of a table: a code into a few distinct triples
    (one Python tuple per distinct attribution, not per row)."""

    triples: list[tuple[str, str, str]]
    codes: _I64  # one per row of the table, into ``triples``


class _Part(NamedTuple):
    """What reading a part of the documents gives (see :func:`_read_documents`): the row of
    each occurrence and sentence read and the code of its attribution in ``triples``."""

    triples: list[tuple[str, str, str]]
    rows: _I64
    codes: _I64
    sentence_rows: _I64
    sentence_codes: _I64


#: The attribution of a row that no reading gives (a sentence of a document not read).
_UNREAD = ("", "", "narration")
#: No spans (a document without sentences or occurrences): (row, start, end), none of them.
_NO_SPANS = np.empty((0, 3), dtype=np.int64)


def _read(
    occurrences: pd.DataFrame,
    documents: pd.DataFrame,
    sentences: pd.DataFrame,
    roster: Roster | None,
    verbs: Sequence[str],
    with_sentences: bool,
    map_documents: MapDocuments | None = None,
) -> tuple[_Coded, _Coded]:
    """(principal, speaker, mode) of each occurrence and, ``with_sentences``, each sentence
    (codes in the order of their tables), reading each document once."""
    schema.check(occurrences, "occurrences", stage="attribute")
    schema.check(documents, "documents", stage="attribute")
    schema.check(sentences, "sentences", stage="attribute")
    missing = int(occurrences["doc_id"].isna().sum())
    if missing:
        raise SchemaError(f"attribute: {missing} occurrence(s) have no doc_id")
    doc_ids = documents["doc_id"].astype(object)
    used = set(occurrences["doc_id"].drop_duplicates().astype(object))  # not a value per row
    for table, known in (("documents", doc_ids), ("sentences", sentences["doc_id"])):
        unknown = sorted(used - set(known.drop_duplicates().astype(object)))
        if unknown:
            raise SchemaError(
                f"attribute: occurrences name document(s) absent from {table}: "
                f"{', '.join(unknown[:5])}"
            )
    doc_list = doc_ids.tolist()
    texts, dates = documents["text"].tolist(), documents["date"].tolist()
    own = {column: _names(documents, column) for column in ("principal", "speaker")}
    bounds = _by_doc(sentences["doc_id"], sentences["start"], sentences["end"])
    spans = _by_doc(occurrences["doc_id"], occurrences["start"], occurrences["end"])
    # one row per document to read (those with occurrences, and with_sentences the others),
    # carrying all it needs, so that parts of it can be read in other processes
    position = {doc_id: k for k, doc_id in enumerate(doc_list)}
    order = [*spans, *(d for d in bounds if d not in spans and d in position)]
    if not with_sentences:
        order = list(spans)
    rows_of = [position[d] for d in order]
    work = pd.DataFrame(
        {
            "doc_id": order,
            "text": [str(texts[k]) for k in rows_of],
            "date": [dates[k] for k in rows_of],
            "principal": [own["principal"][k] for k in rows_of],
            "speaker": [own["speaker"][k] for k in rows_of],
            "sentences": [bounds.get(d, _NO_SPANS) for d in order],
            "spans": [spans.get(d, _NO_SPANS) for d in order],
        }
    )
    read = functools.partial(
        _read_documents, roster=roster, verbs=tuple(verbs), with_sentences=with_sentences
    )
    parts: list[_Part] = map_documents(read, work) if map_documents is not None else [read(work)]
    return (
        _assemble(len(occurrences), [(p.triples, p.rows, p.codes) for p in parts]),
        _assemble(len(sentences), [(p.triples, p.sentence_rows, p.sentence_codes) for p in parts]),
    )


def _assemble(n: int, parts: Sequence[tuple[list[tuple[str, str, str]], _I64, _I64]]) -> _Coded:
    """The attributions of a table of ``n`` rows from those the parts read: (triples, rows,
    codes into the triples) each; a row no part read is :data:`_UNREAD`."""
    triples = [_UNREAD]
    codes = np.zeros(n, dtype=np.int64)
    for part_triples, rows, part_codes in parts:
        codes[rows] = part_codes + len(triples)
        triples += part_triples
    return _Coded(triples, codes)


def _read_documents(
    work: pd.DataFrame, *, roster: Roster | None, verbs: tuple[str, ...], with_sentences: bool
) -> _Part:
    """Read each document of ``work`` (see :func:`_read`): the codes of the attributions of
    its occurrences and, ``with_sentences``, of its sentences."""
    pattern = _verb_pattern(verbs)
    people = {p.name: p.organisation or "" for p in roster.people} if roster is not None else {}
    name_of = functools.cache(_name_of)  # the same names and titles recur across documents
    code_of: dict[tuple[str, str, str], int] = {}  # the part's distinct attributions
    codes: list[int] = []
    sentence_codes: list[int] = []
    for text, date, principal, speaker, bounds, spans in zip(
        work["text"].tolist(),
        work["date"].tolist(),
        work["principal"].tolist(),
        work["speaker"].tolist(),
        work["sentences"].tolist(),
        work["spans"].tolist(),
        strict=True,
    ):
        resolve = _resolver(roster, date)
        reader = _Reader(
            text,
            resolve,
            pattern,
            people,
            own=(_canonical(principal, resolve), _canonical(speaker, resolve)),
            name_of=name_of,
        )
        reader.read(bounds.tolist())
        for row in reader.attribute_spans(spans[:, 1:].tolist()):
            codes.append(code_of.setdefault(row, len(code_of)))
        if with_sentences:
            for row in reader.attribute_sentences():
                sentence_codes.append(code_of.setdefault(row, len(code_of)))
    return _Part(
        triples=list(code_of),
        rows=_rows(work["spans"]),
        codes=np.array(codes, dtype=np.int64),
        sentence_rows=_rows(work["sentences"]) if with_sentences else _NO_SPANS[:, 0],
        sentence_codes=np.array(sentence_codes, dtype=np.int64),
    )


def _rows(spans: pd.Series) -> _I64:
    """The rows of a column of (row, start, end) arrays, one after another."""
    return np.concatenate([_NO_SPANS[:, 0], *(s[:, 0] for s in spans.tolist())])


def _names(documents: pd.DataFrame, column: str) -> list[str]:
    """A document column of names (empty where missing or absent)."""
    if column not in documents.columns:
        return [""] * len(documents)
    return [v.strip() if isinstance(v, str) else "" for v in documents[column].tolist()]


def _canonical(name: str, resolve: Callable[[str], str | None]) -> str:
    """A name as the roster has it (as written when the roster does not know it)."""
    return (resolve(name) or name) if name else ""


def _with_columns(
    table: pd.DataFrame, coded: _Coded, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """A copy of ``table`` with ``principal``, ``speaker``, ``mode`` from ``coded`` (and
    without any earlier attribution ``columns``)."""
    columns = list(schema.TABLES["attribution"]) if columns is None else list(columns)
    names = list(schema.TABLES["attribution"])[:3]
    values = {
        # each column taken from its few distinct values, not made from a string per row
        name: schema.take_text([t[k] for t in coded.triples], coded.codes)
        for k, name in enumerate(names)
    }
    attributed = pd.DataFrame(values, index=table.index)
    return table.drop(columns=[c for c in columns if c in table.columns]).join(attributed)


def _with_utterances(
    occurrences: pd.DataFrame,
    documents: pd.DataFrame,
    roster: Roster | None,
    *,
    utterance_days: int,
    utterance_similarity: float,
) -> pd.DataFrame:
    organisations = set(ORGANISATION_NAMES)
    if roster is not None:
        organisations |= {o.name for o in roster.organisations}
    return mark_utterances(
        occurrences,
        documents,
        organisations=frozenset(organisations),
        utterance_days=utterance_days,
        utterance_similarity=utterance_similarity,
    )


def mark_utterances(
    occurrences: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    organisations: frozenset[str] = ORGANISATION_NAMES,
    utterance_days: int = AttributeConfig.utterance_days,
    utterance_similarity: float = AttributeConfig.utterance_similarity,
) -> pd.DataFrame:
    """A copy of attributed ``occurrences`` with ``utterance_id``: mentions of one statement
    share it, so that a statement reprinted by several outlets counts once as an utterance.

    Two occurrences of a family are one utterance when (a) their principals agree (the same,
    or one of them one of ``organisations``: an outlet may credit a statement to the
    government rather than to the official), they are dated at most ``utterance_days`` apart,
    their wordings are ``utterance_similarity`` alike (the same readout quoted by several
    outlets) and their days agree: the day of an occurrence is the last weekday the
    document names before it ("on Tuesday"), the latest such day up to the document's date,
    and two occurrences that both have one must have the same (two calls on consecutive days
    give two readouts of the same words); or (b) one is in a near-duplicate of
    the other's document (``documents.duplicate_of``) and, of that document's occurrences of
    the family, the most alike, as alike. The id is ``<doc_id>:<start>`` of the first mention
    (by date, document, offset). An occurrence without a principal joins others by (b) only.
    """
    n = len(occurrences)
    # codes, not a Python string per row: each column factorized as the table holds it
    families = pd.factorize(occurrences["family_id"].astype(str))[0]
    doc_codes, doc_index = pd.factorize(occurrences["doc_id"].astype(str), sort=True)
    doc_names = np.asarray(doc_index, dtype=object)
    starts = occurrences["start"].to_numpy(dtype=np.int64)
    stamps = _stamps(occurrences["date"])
    dated = stamps != _NO_DAY
    principal_codes, principal_index = pd.factorize(occurrences["principal"].fillna("").astype(str))
    principal_names = np.asarray(principal_index, dtype=object)
    is_organisation = np.array([p in organisations for p in principal_names], dtype=bool)
    has_principal = (principal_names != "")[principal_codes]
    variant_codes, variants = pd.factorize(occurrences["variant"].astype(str))
    words = [_wording(v) for v in variants.tolist()]  # once per distinct variant
    # by date (undated last), document, offset: the order mentions are compared and named in
    order = np.lexsort((starts, doc_codes, np.where(dated, stamps, np.iinfo(np.int64).max)))

    scores: dict[tuple[int, int], float] = {}  # by pair of distinct variants

    def alike(a: int, b: int) -> bool:
        a, b = min(a, b), max(a, b)
        if (a, b) not in scores:
            scores[a, b] = fuzz.ratio(words[a], words[b]) / 100
        return scores[a, b] >= utterance_similarity

    # (a) mentions of a family by agreeing principals within the window, in order
    named = order[(has_principal & dated)[order]]
    named = named[np.argsort(families[named], kind="stable")]  # by family, order kept within
    ends = _window_ends(families[named], stamps[named], utterance_days * _NS_PER_DAY)
    variant_of = variant_codes[named].tolist()
    principal_of = principal_codes[named]
    organisation_of = is_organisation[principal_of]
    # a union-find over the positions in named (the only mentions (a) joins), and by root the
    # first known day of its utterance
    parent = list(range(len(named)))
    day_of = _days(occurrences, documents)[named]
    days = day_of.tolist()

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for first, second in _window_pairs(ends):
        # only the pairs whose principals agree are tried (in order), as numbers; and only
        # those whose own days do not differ (every known day of an utterance is its day, so
        # two mentions with different days are never joined)
        agree = principal_of[first] == principal_of[second]
        agree |= organisation_of[first] | organisation_of[second]
        first_day, second_day = day_of[first], day_of[second]
        agree &= (first_day == second_day) | (first_day == _NO_DAY) | (second_day == _NO_DAY)
        for a, b in zip(first[agree].tolist(), second[agree].tolist(), strict=True):
            root_a, root_b = find(a), find(b)
            day_a, day_b = days[root_a], days[root_b]
            if day_a != _NO_DAY and day_b != _NO_DAY and day_a != day_b:
                continue
            if root_a != root_b and alike(variant_of[a], variant_of[b]):
                parent[root_b] = root_a
                if day_a == _NO_DAY:
                    days[root_a] = day_b
    # (b) a mention in a near-duplicate joins the most alike mention of its original
    joined: list[tuple[int, int]] = []
    original = documents["duplicate_of"].set_axis(documents["doc_id"].astype(str)).dropna()
    source_of = pd.Series(doc_names).map(original.astype(str)).to_numpy(dtype=object)
    copies = np.flatnonzero(pd.notna(source_of[doc_codes]))
    if len(copies):
        # the mentions of each (document, family), found by a number rather than a Python key
        # per mention: sorted by it (stably, so each one's in order of row), the candidates of
        # a copy's mention are a run of those of its document's original
        code_of = {name: code for code, name in enumerate(doc_names.tolist())}
        original_of = np.array([code_of.get(s, -1) for s in source_of.tolist()], dtype=np.int64)
        copies = copies[original_of[doc_codes[copies]] >= 0]  # (an original with mentions)
        width = int(families.max()) + 2  # family codes from -1 (missing) up
        keys = doc_codes.astype(np.int64) * width + families + 1
        by_key = np.argsort(keys, kind="stable")
        wanted = original_of[doc_codes[copies]] * width + families[copies] + 1
        firsts = np.searchsorted(keys[by_key], wanted, side="left").tolist()
        lasts = np.searchsorted(keys[by_key], wanted, side="right").tolist()
        rows, variant_of_row = by_key.tolist(), variant_codes.tolist()
        ratios: dict[tuple[int, int], float] = {}  # by pair of distinct variants
        for i, first, last in zip(copies.tolist(), firsts, lasts, strict=True):
            own = variant_of_row[i]
            best, most = -1, -1.0  # the most alike candidate, the last of equals
            for j in rows[first:last]:
                pair = (own, variant_of_row[j])
                ratio = ratios.get(pair)
                if ratio is None:
                    ratio = ratios[pair] = fuzz.ratio(words[own], words[pair[1]])
                if ratio >= most:
                    best, most = j, ratio
            if best >= 0 and most / 100 >= utterance_similarity:
                joined.append((i, best))
    links = np.array(joined, dtype=np.int64).reshape(-1, 2)
    roots = _components(
        n, np.r_[named, links[:, 0]], np.r_[named[np.array(parent, dtype=np.int64)], links[:, 1]]
    )
    _, first = np.unique(roots[order], return_index=True)
    first_of = np.empty(n, dtype=np.int64)
    first_of[roots[order][first]] = order[first]
    named_by = first_of[roots]
    # "<doc_id>:<start>" made column-wise, not as a Python string per row
    doc_of = pd.array(doc_names, dtype="string").take(doc_codes[named_by])
    start_of = pd.Series(starts[named_by], index=occurrences.index).astype("string")
    return occurrences.assign(
        utterance_id=pd.Series(doc_of, index=occurrences.index) + ":" + start_of
    )


def _window_pairs(ends: _I64, block: int = 1 << 20) -> Iterator[tuple[_I64, _I64]]:
    """The pairs ``(a, b)`` with ``a < b < ends[a]``, in order of ``a`` then ``b``, as two
    arrays a block of about ``block`` pairs (the pairs of one ``a`` never split) at a time."""
    counts = np.maximum(ends - np.arange(len(ends)) - 1, 0)
    before = np.cumsum(counts) - counts  # pairs before each a
    start = 0
    while start < len(ends):
        stop = int(np.searchsorted(before, before[start] + block, side="left"))
        stop = max(stop, start + 1)
        first = np.repeat(np.arange(start, stop), counts[start:stop])
        offsets = np.arange(len(first)) - np.repeat(
            before[start:stop] - before[start], counts[start:stop]
        )
        yield first, first + 1 + offsets
        start = stop


def _components(n: int, first: _I64, second: _I64) -> _I64:
    """The connected component (a number below ``n``) of each of ``n`` nodes joined by the
    links ``first[k]`` -- ``second[k]``."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    links = sparse.coo_matrix((np.ones(len(first), dtype=np.int8), (first, second)), (n, n))
    labels: _I64 = csgraph.connected_components(links, directed=False)[1].astype(np.int64)
    return labels


#: A weekday's name as a word (r"\b(Mon|Tues|...)day\b", group 1 its first part), the
#: boundary before it checked after its first part, so that the search goes from one of their
#: first letters to the next.
_WEEKDAY = re.compile(
    r"(Mon(?<!\wMon)|Tues(?<!\wTues)|Wednes(?<!\wWednes)|Thurs(?<!\wThurs)|Fri(?<!\wFri)"
    r"|Satur(?<!\wSatur)|Sun(?<!\wSun))day\b"
)
_WEEKDAYS = ("Mon", "Tues", "Wednes", "Thurs", "Fri", "Satur", "Sun")
_NO_DAY = -(2**63)  # no day known (undated, or no weekday named)
_NS_PER_DAY = 86_400 * 10**9


def _stamps(dates: pd.Series) -> _I64:
    """Dates as nanoseconds (local wall time for zoned dates; ``_NO_DAY`` for missing)."""
    stamps = pd.to_datetime(dates)
    if getattr(stamps.dt, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)
    values = stamps.to_numpy(dtype="datetime64[ns]")
    return np.where(np.isnat(values), _NO_DAY, values.astype(np.int64))


def _window_ends(families: _I64, stamps: _I64, width: int) -> _I64:
    """For rows sorted by family, then stamp: the end (exclusive) of each row's window, the
    rows of its family at most ``width`` later than it."""
    values, ranks = np.unique(stamps, return_inverse=True)
    beyond = np.searchsorted(values, values[ranks] + width, side="right")
    keys = families.astype(np.int64) * (len(values) + 1) + ranks
    return np.searchsorted(keys, families.astype(np.int64) * (len(values) + 1) + beyond)


def _days(occurrences: pd.DataFrame, documents: pd.DataFrame) -> _I64:
    """The day each occurrence tells of (days since 1970-01-01): the last weekday its document
    names before it, the latest such day up to the document's date (``_NO_DAY`` without a
    weekday, a date or a text)."""
    days = np.full(len(occurrences), _NO_DAY, dtype=np.int64)
    if "text" not in documents.columns or not len(occurrences):
        return days
    doc_codes, doc_ids = pd.factorize(occurrences["doc_id"].astype(str))
    texts = dict(zip(documents["doc_id"].astype(str), documents["text"], strict=True))
    ends: list[int] = []  # of the weekdays each document names, documents in code order
    weekdays: list[int] = []
    firsts = np.zeros(len(doc_ids) + 1, dtype=np.int64)  # each document's first weekday
    for code, doc in enumerate(doc_ids.tolist()):
        for found in _WEEKDAY.finditer(str(texts.get(doc, ""))):
            ends.append(found.end())
            weekdays.append(_WEEKDAYS.index(found.group(1)))
        firsts[code + 1] = len(ends)
    starts = occurrences["start"].to_numpy(dtype=np.int64)
    stamps = _stamps(occurrences["date"])
    # the last weekday ending at or before each start: one search over (document, end) keys
    width = max(int(starts.max()), *ends, 0) + 1
    keys = np.repeat(np.arange(len(doc_ids), dtype=np.int64), np.diff(firsts)) * width + ends
    at = np.searchsorted(keys, doc_codes * width + starts, side="right") - 1
    known = (at >= firsts[doc_codes]) & (stamps != _NO_DAY)
    dates = np.floor_divide(stamps[known], _NS_PER_DAY)
    weekday = (dates + 3) % 7  # 1 January 1970 was a Thursday (Monday 0)
    back = (weekday - np.asarray(weekdays, dtype=np.int64)[at[known]]) % 7
    days[known] = dates - back
    return days


def _wording(variant: str) -> str:
    """A variant compared for utterances: lowercase, without quotation marks or brackets."""
    return " ".join(re.sub(r"[\"'“”‘’\[\]]", " ", variant.lower()).split())


def _verb_pattern(verbs: Sequence[str]) -> re.Pattern[str]:
    stems = sorted({v.rstrip("e") for v in verbs}, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(s) for s in stems) + r")[a-z]*\b")


def _by_doc(
    doc_ids: pd.Series, starts: pd.Series, ends: pd.Series
) -> dict[object, npt.NDArray[np.int64]]:
    """(row position, start, end) of each row, by document in order of appearance: an array
    of three columns, each document's rows in order of start (ties in row order)."""
    codes, names = pd.factorize(doc_ids)
    start_values = starts.to_numpy(dtype=np.int64)
    order = np.lexsort((start_values, codes))  # stable: ties stay in row order
    table = np.column_stack([order, start_values[order], ends.to_numpy(dtype=np.int64)[order]])
    ends_of = np.cumsum(np.bincount(codes, minlength=len(names)))
    pieces = np.split(table, ends_of)[:-1]  # one per document (the last piece is empty)
    return dict(zip(names.tolist(), pieces, strict=True))


def _resolver(roster: Roster | None, date: pd.Timestamp) -> Callable[[str], str | None]:
    if roster is None:
        return lambda mention: None
    return lambda mention: roster.resolve(mention, date)


class _Reader:
    """Reads one document: quotations, mentions, frames; then attributes spans."""

    def __init__(
        self,
        text: str,
        resolve: Callable[[str], str | None],
        verbs: re.Pattern[str],
        people: Mapping[str, str] | None = None,
        own: tuple[str, str] = ("", ""),
        name_of: Callable[[str], _Name | None] | None = None,
    ) -> None:
        self.text = text
        # how a run of capitalised words reads as a name (:func:`_name_of`, which a caller may
        # cache across documents)
        self.name_of = name_of or _name_of
        # the document's own principal and speaker (a text published by an official)
        self.own_principal, self.own_speaker = own
        self.resolve = resolve
        # the roster's people (what a name or title may resolve to) and their organisations
        self.people: Mapping[str, str] = people or {}
        self.verbs = verbs
        self.quotes: list[tuple[int, int]] = []
        self.mentions: list[_Mention] = []
        self.mention_starts: list[int] = []
        self.named_starts: list[int] = []  # of the people and organisations
        self.possessive_at: dict[int, str] = {}  # position -> the possessive person holding it
        self.sentences: list[tuple[int, int]] = []
        self.sentence_starts: list[int] = []
        self.quote_ends: list[int] = []
        self.first_person: dict[int, bool] = {}  # paragraph start -> _first_person_paragraph
        self.subjects: dict[tuple[int, int], bool] = {}  # mention bounds -> _subject
        self.quote_speakers: dict[tuple[int, int], str] = {}  # quotation -> _quote_speaker
        self.frame_of_sentence: dict[int, str] = {}
        self.principal_of_sentence: dict[int, str] = {}

    # -- reading --------------------------------------------------------------------------

    def read(self, sentences: Sequence[Sequence[int]]) -> None:
        """Read the text, given its sentences as (row, start, end) in order of start."""
        self.sentences = [(start, end) for _, start, end in sentences]
        self.sentence_starts = [start for start, _ in self.sentences]
        self.quotes = _quotations(self.text)
        self.quote_ends = [end for _, end in self.quotes]
        self.mentions = self._mentions()
        self.mention_starts = [m.start for m in self.mentions]
        self.named_starts = [m.start for m in self.mentions if m.kind in ("person", "organisation")]
        for mention in self.mentions:  # the first person to hold a position wins
            if mention.kind == "person" and self.text.startswith("'s", mention.end):
                for position in range(mention.start, mention.end):
                    self.possessive_at.setdefault(position, mention.name)
        # every frame holds one of these words: a quick way past most sentences
        cued = self._sentences_holding(_FRAME_WORDS, _according(self.text))
        for k, (start, end) in enumerate(self.sentences):
            self.frame_of_sentence[k] = self._frame(start, end) if k in cued else ""

    def _sentences_holding(
        self, words: Sequence[str], spans: Sequence[tuple[int, int]]
    ) -> set[int]:
        """The sentences that hold one of ``words`` or one of ``spans`` (start, end) whole;
        sentences do not overlap."""
        found = list(spans)
        for word in words:
            at = self.text.find(word)
            while at >= 0:
                found.append((at, at + len(word)))
                at = self.text.find(word, at + 1)
        holding = set()
        for start, end in found:
            k = bisect.bisect_right(self.sentence_starts, start) - 1
            if k >= 0 and end <= self.sentences[k][1]:
                holding.add(k)
        return holding

    def _mentions(self) -> list[_Mention]:
        text = self.text
        found: list[_Mention] = []
        full: dict[str, str] = {}  # surname -> full name seen
        lower = _lowered(text)
        # the longest name wins: "the U.S. mission to the United Nations" is not "United Nations"
        for phrase, pattern, name in _ORGANISATION_PATTERNS:
            if phrase not in lower:
                continue  # a quick way past the names the text does not hold
            for match in pattern.finditer(lower):
                if not _overlaps(found, match.start(), match.end()):
                    found.append(_Mention(match.start(), match.end(), name, "organisation"))
        if "statement" in text or "readout" in text:  # a quick way past most documents
            for match in _STATEMENT.finditer(text):
                found.append(
                    _Mention(match.start(), match.end(), match.group(1) or "", "statement")
                )
        names: list[tuple[int, int, _Name, str]] = []
        taken = _covered(found)
        for match in _PERSON.finditer(text):
            named = self.name_of(match.group(1))
            if named is None or match.start(1) in taken:
                continue
            titled = named.title
            if not titled and len(named.plain) >= 2 and _titled(text, match.start(1)):
                # a title word before the run (of a one-word name, only a TITLE_HEADS title
                # counts below, so it is not looked for)
                titled = "title"
            names.append((match.start(1) + named.offset, match.end(1), named, titled))
            if len(named.plain) >= 2 and titled:  # a titled full name, anywhere
                full.setdefault(named.plain[-1], " ".join(named.plain))
        for start, end, named, titled in names:
            canonical = self.resolve(named.words)
            if canonical is not None and canonical not in self.people:
                continue  # an organisation or a place of the roster, not a person
            if canonical is None:
                plain = named.plain
                if len(plain) >= 2 and titled:
                    canonical = " ".join(plain)
                elif len(plain) == 1 and plain[0] in full:
                    canonical = full[plain[0]]
                elif len(plain) == 1 and titled in TITLE_HEADS:  # "President Kowalski"
                    canonical = plain[0]
                else:
                    continue
            found.append(_Mention(start, end, canonical, "person"))
        # title references ("the Foreign Minister", "the secretary"): only a roster says who
        taken = _covered(found)
        for match in _TITLE_REFERENCE.finditer(text) if self.people else ():
            canonical = self.resolve(match.group(0))
            known = canonical is not None and canonical in self.people
            if known and canonical and match.end() - 1 not in taken:
                found.append(_Mention(match.start(), match.end(), canonical, "person"))
        return sorted(found, key=lambda m: m.start)

    def _frame(self, start: int, end: int) -> str:
        """The speaker named by an attribution frame in the sentence, if any."""
        sentence = self.text[start:end]
        for pattern, held, opens_with_agent in _FRAMES:
            if held not in sentence:
                continue
            if opens_with_agent:
                # a match that is its agent and spaces up to its word, then the word, lies in a
                # run of agent characters and spaces up to a use of the word: none starts
                # before the run that holds the word's first use, nor ends after its last use
                # (searched up to the character after it, which the word boundary reads)
                first = _agent_run_start(sentence, sentence.find(held))
                last = sentence.rfind(held) + len(held) + 1
                match = pattern.search(sentence, first, last)
            else:
                match = pattern.search(sentence)
            if match is None:
                continue
            agent_start = start + match.start("agent")
            agent_end = start + match.end("agent")
            return self._agent(agent_start, agent_end)
        return ""

    def _agent(self, start: int, end: int) -> str:
        if start == end:  # a frame without its own subject ("..., adding: ")
            return self._subject_of_sentence(start)
        words = self.text[start:end].lower()
        inside = self._starting(start, end)
        people = [m for m in inside if m.kind == "person"]
        if people:
            return people[-1].name
        organisations = [m for m in inside if m.kind == "organisation" and m.name in _SOURCES]
        if organisations:
            return organisations[-1].name
        if words.strip() in {"he", "she"}:
            return self._last_person(start)
        if "statement" in words or "readout" in words:
            return self._last_statement_source(start)
        if words.split()[-1:] in (["and"], ["also"], ["then"]):  # "X ... and added that"
            return self._subject_of_sentence(start)
        return ""

    def _subject_of_sentence(self, position: int) -> str:
        """The first person (or publishing organisation) in subject position, outside
        quotation marks, in the sentence holding ``position``, before it."""
        s_start, _ = self.sentences[self._sentence_of(position)]
        for mention in self._starting(s_start, position):
            if self._quote_of(mention.start, mention.end):
                continue
            if mention.kind == "person" and self._subject(mention):
                return mention.name
            if mention.kind == "organisation" and mention.name in _SOURCES:
                return mention.name
        return ""

    def _last_person(self, before: int) -> str:
        """The person a pronoun at ``before`` refers to: the last person named as a subject
        outside quotation marks ("Blinken called Abbas. He ..." is Blinken; in ""... the
        president's support ...," she added" she is not the president); else the last person
        named at all."""
        last: str | None = None  # the last person named, fitting or not
        for mention in reversed(self._up_to(before)):
            if mention.kind != "person" or mention.end > before:
                continue
            if self._subject(mention) and self._quote_of(mention.start, mention.end) is None:
                return mention.name
            if last is None:
                last = mention.name
        return last or ""

    def _last_statement_source(self, before: int) -> str:
        """The source of the last statement mentioned: "a White House statement", "a
        statement from the White House", "the State Department said in a statement", "Price
        said in a separate statement"; or a publisher named by a frame since then ("..., the
        White House says")."""
        # a publisher framing a later sentence ("..., the White House says") is the newer source
        framed = [
            (self.sentences[k][0], speaker)
            for k, speaker in self.frame_of_sentence.items()
            if speaker in _SOURCES and self.sentences[k][1] <= before
        ]
        newest = max(framed, default=(-1, ""))
        for mention in reversed([m for m in self._up_to(before) if m.end <= before]):
            if mention.kind != "statement":
                continue
            if newest[0] > mention.start:
                return newest[1]
            if _SAID_IN.search(self.text[max(0, mention.start - 30) : mention.start]):
                # "Price said in a separate statement": the statement is the speaker's
                issuer = self.frame_of_sentence.get(self._sentence_of(mention.start), "")
                if issuer:
                    return issuer
            resolved = self._organisation_in(mention.name)
            if resolved:
                return resolved
            near = self.text[max(0, mention.start - 40) : mention.end + 30]
            for organisation in self.mentions:
                written = self.text[organisation.start : organisation.end].lower()
                if organisation.name in _SOURCES and written in near.lower():
                    return organisation.name
        return ""

    def _organisation_in(self, words: str) -> str:
        lowered = words.lower()
        for phrase, name in ORGANISATIONS:
            if phrase in lowered:
                return name
        return ""

    # -- attributing ----------------------------------------------------------------------

    def attribute(self, start: int, end: int) -> tuple[str, str, str]:
        """(principal, speaker, mode) of the span ``start:end`` (spans in reading order)."""
        k = self._sentence_of(start)
        attributed = self._attribute(start, end, k, start)
        self.principal_of_sentence[k] = attributed[0]
        return attributed

    def attribute_spans(self, spans: Sequence[Sequence[int]]) -> list[tuple[str, str, str]]:
        """:meth:`attribute` of each of ``spans`` (start, end) in turn."""
        rows = []
        starts, sentences, last = self.sentence_starts, self.sentences, len(self.sentences) - 1
        for start, end in spans:
            k = bisect.bisect_right(starts, start) - 1  # (as _sentence_of)
            if k < 0 or start >= sentences[k][1]:
                k = max(last, 0)
            attributed = self._attribute(start, end, k, start)
            self.principal_of_sentence[k] = attributed[0]
            rows.append(attributed)
        return rows

    def attribute_sentences(self) -> list[tuple[str, str, str]]:
        """(principal, speaker, mode) of every sentence, in order, as if of a span at its end
        (who is named anywhere in it counts), independently of :meth:`attribute`."""
        self.principal_of_sentence = {}
        rows = []
        for k, (start, end) in enumerate(self.sentences):
            rows.append(self._attribute(start, end, k, end))
            self.principal_of_sentence[k] = rows[-1][0]
        return rows

    def _attribute(self, start: int, end: int, k: int, cut: int) -> tuple[str, str, str]:
        """The span ``start:end`` of sentence ``k``; its principal is sought before ``cut``."""
        s_start, _s_end = self.sentences[k]
        # the first quotation ending after start, if it starts before end, may hold the span
        # (a quick way past most spans, which no quotation holds)
        i = bisect.bisect_right(self.quote_ends, start)
        quote = None
        if i < len(self.quotes) and self.quotes[i][0] < end:
            quote = self._quote_of(start, end)
        speaker = ""
        if quote is not None:
            speaker = self._quote_speaker(quote)
        else:
            speaker = self.frame_of_sentence.get(k, "")
        principal = self._principal(cut, s_start, quote, speaker, k)
        first_person = quote is None and not speaker and not self.own_speaker
        if first_person and self._first_person_paragraph(start):
            # an unquoted first-person paragraph (a translated statement): the last speaker's
            speaker = principal = self._last_speaker(start)
        if quote is not None and speaker:
            mode = "quote"
        elif speaker or self._reported(s_start, cut):
            mode = "reported"
        else:
            mode = "narration"
        if mode == "narration":
            speaker = ""
        elif mode == "reported" and not speaker and _SAYS.search(self.text[s_start:cut]):
            speaker = principal  # "Blinken said that ...", not "Blinken reaffirmed ..."
        if mode == "narration" and self.own_speaker:
            # the document's own words (an address, a statement): its principal and speaker
            principal = self.own_principal or self.own_speaker
        if not speaker:
            speaker = self.own_speaker
        return principal, speaker, mode

    def _first_person_paragraph(self, position: int) -> bool:
        """Whether the paragraph at ``position`` speaks in the first person ("We condemn")
        outside quotation marks and without a frame of its own."""
        start = self.text.rfind("\n", 0, position) + 1
        known = self.first_person.get(start)
        if known is None:
            known = self.first_person[start] = self._first_person_at(start)
        return known

    def _first_person_at(self, start: int) -> bool:
        end = self.text.find("\n", start)
        end = len(self.text) if end < 0 else end
        first = bisect.bisect_left(self.sentence_starts, start)
        last = bisect.bisect_left(self.sentence_starts, end)
        if any(self.frame_of_sentence.get(k) for k in range(first, last)):
            return False  # a sentence of it is framed
        # the paragraph with its quotations blanked out: those ending after its start, up to
        # the first after its end (quotations do not overlap)
        pieces, done = [], start
        for q_start, q_end in self.quotes[bisect.bisect_right(self.quote_ends, start) :]:
            if q_start >= end:
                break
            blank_start, blank_end = max(q_start, start), min(q_end, end)
            pieces += [self.text[done:blank_start], " " * (blank_end - blank_start)]
            done = blank_end
        pieces.append(self.text[done:end])
        return bool(_FIRST_PERSON_SUBJECT.search("".join(pieces)))

    def _last_speaker(self, before: int) -> str:
        """The speaker of the last quotation or framed sentence before ``before``."""
        said: list[tuple[int, str]] = [
            (q_end, self._quote_speaker((q_start, q_end)))
            for q_start, q_end in self.quotes
            if q_end <= before
        ]
        said += [
            (end, self.frame_of_sentence.get(k, ""))
            for k, (_start, end) in enumerate(self.sentences)
            if end <= before
        ]
        named = sorted((end, speaker) for end, speaker in said if speaker)
        return named[-1][1] if named else ""

    def _sentence_of(self, position: int) -> int:
        """The sentence holding ``position`` (the last sentence if none does)."""
        k = bisect.bisect_right(self.sentence_starts, position) - 1
        if k >= 0 and position < self.sentences[k][1]:
            return k
        return max(len(self.sentences) - 1, 0)

    def _quote_of(self, start: int, end: int) -> tuple[int, int] | None:
        """The first quotation holding at least half of ``start:end`` (quotations do not
        overlap, so those ending after ``start`` are the candidates, in order)."""
        for i in range(bisect.bisect_right(self.quote_ends, start), len(self.quotes)):
            q_start, q_end = self.quotes[i]
            if q_start >= end:
                break
            inside = min(end, q_end) - max(start, q_start)
            if inside > 0 and inside * 2 >= end - start:
                return q_start, q_end
        return None

    def _quote_speaker(self, quote: tuple[int, int]) -> str:
        """The speaker of a quotation: named by its own frame; else, as when a quotation
        goes on after '"...," she added. "...', the speaker of the quotation before it in the
        same paragraph, or the one after it (read once per quotation, once all sentences
        have their frames)."""
        if quote not in self.quote_speakers:
            self.quote_speakers[quote] = self._quote_speaker_of(quote)
        return self.quote_speakers[quote]

    def _quote_speaker_of(self, quote: tuple[int, int]) -> str:
        own = self._own_speaker(quote)
        if own:
            return own
        paragraph_start = self.text.rfind("\n", 0, quote[0]) + 1
        paragraph_end = self.text.find("\n", quote[1])
        paragraph_end = len(self.text) if paragraph_end < 0 else paragraph_end
        k = self.quotes.index(quote)
        before = [q for q in self.quotes[:k] if q[0] >= paragraph_start]
        after = [q for q in self.quotes[k + 1 :] if q[1] <= paragraph_end]
        for other in [*reversed(before), *after]:
            speaker = self._own_speaker(other)
            if speaker:
                return speaker
        return ""

    def _own_speaker(self, quote: tuple[int, int]) -> str:
        q_start, q_end = quote
        k_end = self._sentence_of(max(q_end - 1, q_start))
        _s_start, s_end = self.sentences[k_end]
        after = self.text[q_end:s_end]
        before = self.text[self.sentences[self._sentence_of(q_start)][0] : q_start]
        for pattern in _AFTER_QUOTE:
            match = pattern.match(after)
            if match:
                return self._agent(q_end + match.start("agent"), q_end + match.end("agent"))
        for pattern in _BEFORE_QUOTE:
            match = pattern.search(before)
            if match:
                offset = q_start - len(before)
                return self._agent(offset + match.start("agent"), offset + match.end("agent"))
        frame = self.frame_of_sentence.get(k_end, "")
        if frame:
            return frame
        # a quotation that ends a paragraph and goes on: the next sentence's frame
        if k_end + 1 < len(self.sentences):
            return self.frame_of_sentence.get(k_end + 1, "")
        return ""

    def _principal(
        self, start: int, s_start: int, quote: tuple[int, int] | None, speaker: str, k: int
    ) -> str:
        # the formula opens with a possessive mention ("[the] president's support")
        if start in self.possessive_at:
            return self.possessive_at[start]
        starts = self.mention_starts
        first = bisect.bisect_left(starts, s_start)
        last = bisect.bisect_left(starts, start + 1, first)
        if first == last:  # (most formulas have no mention before them in their sentence)
            return self._principal_unnamed(start, s_start, quote, speaker, k)
        before = [m for m in self.mentions[first:last] if m.end <= start]
        subjects: list[_Mention] = []
        if before:
            possessive = self._possessive(before, start, s_start)
            if possessive is not None:
                return possessive
            owner = self._coordinated_possessive(before, start)
            if owner:
                return owner
            subjects = [
                m for m in before if m.kind in ("person", "organisation") and self._subject(m)
            ]
        if quote is not None:
            inside = self.text[quote[0] : start]
            if _FIRST_PERSON.search(inside) and not any(m.start >= quote[0] for m in subjects):
                return speaker
            if speaker and any(self._opens_clause(m, quote[0]) for m in subjects):
                return speaker  # "The United States is engaging...," the mission said
        people = [m for m in subjects if m.kind == "person"]
        if people:
            return self._coordinated(people[-1], speaker).name
        pronoun = _HE_SHE.search(self.text[s_start:start])
        if pronoun:
            return self._last_person(s_start + pronoun.start())
        previous = self.principal_of_sentence.get(k - 1, "")
        if previous and _THEY.search(self.text[s_start:start]):
            return previous
        if subjects:
            return subjects[-1].name
        return speaker

    def _principal_unnamed(
        self, start: int, s_start: int, quote: tuple[int, int] | None, speaker: str, k: int
    ) -> str:
        """:meth:`_principal` where no mention starts in the sentence before ``start`` (no
        possessive, no subject): the same steps, without those that look at mentions."""
        if quote is not None and _FIRST_PERSON.search(self.text[quote[0] : start]):
            return speaker
        pronoun = _HE_SHE.search(self.text[s_start:start])
        if pronoun:
            return self._last_person(s_start + pronoun.start())
        previous = self.principal_of_sentence.get(k - 1, "")
        if previous and _THEY.search(self.text[s_start:start]):
            return previous
        return speaker

    def _possessive(self, before: list[_Mention], start: int, s_start: int) -> str | None:
        """The person of a possessive up to two words before ``start`` ("the President's
        unwavering"), one of the mentions ``before`` it in its sentence; None if none."""
        head = self.text[max(s_start, start - 40) : start]
        if "'s" in head and _POSSESSIVE_BEFORE.search(head):
            for mention in reversed(before):
                if mention.kind == "person" and mention.end >= start - 40:
                    tail = self.text[mention.end : mention.end + 3]
                    if tail.startswith("'s"):
                        return mention.name
        return None

    def _coordinated_possessive(self, before: list[_Mention], start: int) -> str:
        """The person whose possessive governs a formula coordinated with an earlier one ("the
        President's support for Israel's security and for its right to ..."): the last
        mention before ``start`` is a possessive person, and only "and" joins it to the
        formula (no speech verb, no clause or quotation boundary, no other mention between)."""
        if not before or before[-1].kind != "person":
            return ""
        mention = before[-1]
        if not self.text.startswith("'s", mention.end):
            return ""
        between = self.text[mention.end + 2 : start]
        joined = _AND.search(between) and not _CLAUSE_BREAK.search(between)
        return mention.name if joined and not _SAYS.search(between) else ""

    def _coordinated(self, mention: _Mention, speaker: str) -> _Mention:
        """Of coordinated subjects ("Secretary X and Prime Minister Y acknowledged"), the one
        of the speaker's organisation (a readout states its own side's position), else the
        first named."""
        subjects = [mention]
        for other in reversed(self._up_to(mention.start)):
            if other.kind != "person" or other.end > mention.start:
                continue
            if not _COORDINATED.fullmatch(self.text[other.end : subjects[0].start]):
                break
            subjects.insert(0, other)
        side = self.people.get(speaker, speaker)
        own = [m for m in subjects if side and self.people.get(m.name) == side]
        return (own or subjects)[0]

    def _opens_clause(self, mention: _Mention, quote_start: int) -> bool:
        """Whether an organisation is the subject that opens a quoted sentence."""
        s_start, _ = self.sentences[self._sentence_of(mention.start)]
        before = self.text[max(s_start, quote_start) : mention.start]
        inside = mention.kind == "organisation" and mention.start > quote_start
        return inside and bool(_OPENING.fullmatch(before))

    def _subject(self, mention: _Mention) -> bool:
        """Whether a mention stands where a subject stands: after the start of the sentence, a
        comma, a quotation mark, "and" or "that" (past any title before the name), and not in
        apposition between commas ("his counterpart, Meir Ben-Shabbat,")."""
        bounds = (mention.start, mention.end)
        if bounds not in self.subjects:
            self.subjects[bounds] = self._subject_at(*bounds)
        return self.subjects[bounds]

    def _subject_at(self, start: int, end: int) -> bool:
        s_start, _ = self.sentences[self._sentence_of(start)]
        before = self.text[max(s_start, start - 80) : start]
        # titles before the name, with their inner "of"/"for"/"the" ("the Secretary of State")
        before = _TITLES_BEFORE.sub("", before)
        after = self.text[end : end + 2]
        if before.rstrip().endswith(",") and after.startswith(","):
            return False
        last = _LAST_WORD.search(before)
        return last is None or last.group(1).lower() in _SUBJECT_AFTER

    def _reported(self, s_start: int, start: int) -> bool:
        starts = self.named_starts  # whether a person or organisation starts in s_start:start
        named = bisect.bisect_left(starts, s_start) < bisect.bisect_left(starts, start)
        return named and bool(self.verbs.search(self.text[s_start:start]))

    # -- looking up -----------------------------------------------------------------------

    def _starting(self, first: int, last: int) -> list[_Mention]:
        """The mentions starting in ``first:last``, in order."""
        starts = self.mention_starts
        return self.mentions[bisect.bisect_left(starts, first) : bisect.bisect_left(starts, last)]

    def _up_to(self, position: int) -> list[_Mention]:
        """The mentions starting at or before ``position`` (all that can end before it)."""
        return self.mentions[: bisect.bisect_right(self.mention_starts, position)]


#: A possessive ending just before a formula, up to two words before it ("the President's
#: unwavering").
_POSSESSIVE_BEFORE = re.compile(r"(?:the\s+)?(\w+(?:\s\w+)?)'s\s+(?:\"?\w+\"?\s+){0,2}\"?$")
_INITIAL = re.compile(r"[A-Z]\.")
#: "he" or "she", a word in any case (r"\b(he|she)\b" ignoring case, written to open with a
#: letter that may open it, the boundary before it checked after it, so that the search goes
#: from one "h" or "s" to the next; "ſ" is an "s" ignoring case).
_HE_SHE = re.compile(r"[HhSsſ](?<!\w.)(?:(?<=[Hh])[Ee]|(?<=[Ssſ])[Hh][Ee])\b")
#: "they" or "the two", in any case (written to open with its "t", as :data:`_HE_SHE`).
_THEY = re.compile(r"[Tt](?<!\w.)(?i:he(?: two|y))\b")
#: Titles before a name, with their inner "of"/"for"/"the" ("the Secretary of State "), and
#: lowercase office words ("State Department spokesman ", "national security adviser ").
_TITLES_BEFORE = re.compile(
    r"(?:\b(?:[A-Z][\w.'-]*|of|for|the|" + "|".join(sorted(TITLE_HEADS)) + r")\.?\s+)+$"
)
_LAST_WORD = re.compile(r"([\w']+|[^\w\s])\s*$")
#: Words (or marks) after which a name stands in subject position.
_SUBJECT_AFTER = frozenset(
    {",", '"', ":", ";", ".", "!", "?", "and", "that", "but", "while", "as", "when", "after"}
    | {"the", "a", "an", "also", "later", "then", "said", "added"}
)
#: "and" joining two phrases under one possessive, and what ends the phrase instead.
_AND = re.compile(r"\band\b")
_CLAUSE_BREAK = re.compile(r"[.;:!?\"“”(]")
#: What stands between two coordinated subjects: "and" and the second one's titles.
_COORDINATED = re.compile(r",?\s+and\s+(?:(?:[A-Z][\w.'-]*|of|for|the)\s+)*")
#: What may stand before the subject that opens a quoted sentence.
_OPENING = re.compile(r"[\"'\s]*(?:[Tt]he\s+)?")
#: Organisations that publish statements (as opposed to countries or governments as topics).
_SOURCES = frozenset(
    {"White House", "Pentagon", "State Department", "National Security Council"}
    | {"U.S. Mission to the United Nations"}
)


def _covered(mentions: list[_Mention]) -> set[int]:
    """The positions inside any of ``mentions``."""
    return {i for m in mentions for i in range(m.start, m.end)}


def _overlaps(mentions: list[_Mention], start: int, end: int) -> bool:
    return any(m.start < end and start < m.end for m in mentions)


_TITLE_SET = frozenset(w.rstrip(".") for w in TITLE_WORDS)
_TITLE_ALTERNATIVES = "|".join(re.escape(word) for word in sorted(_TITLE_SET - {"of"}))
#: "the" and up to four title words ("the Foreign Minister", "the national security adviser");
#: the word boundary before "the" is checked after its first letter (no word character before
#: it), so that the search goes from one "t" to the next.
_TITLE_REFERENCE = re.compile(
    r"(?-i:[Tt])(?<!\w.)he\s+(?:(?:" + _TITLE_ALTERNATIVES + r")\.?\s+){0,3}"
    r"(?:" + _TITLE_ALTERNATIVES + r")\b",
    re.IGNORECASE,
)


class _Name(NamedTuple):
    """A run of capitalised words read as a name (see :func:`_name_of`)."""

    offset: int  # where the name starts in the run, past its titles
    words: str  # the name's words, joined by spaces
    title: str  # the last title word taken off ("" if none)
    plain: tuple[str, ...]  # the name's words without initials


def _name_of(run: str) -> _Name | None:
    """The name in a run of capitalised words (a match of :data:`_PERSON`), without the titles
    before it; None if nothing else is left."""
    words, title = _strip_titles(run.split())
    if not words:
        return None
    plain = tuple(w for w in words if not _INITIAL.fullmatch(w))
    return _Name(run.index(words[0]), " ".join(words), title, plain)


def _strip_titles(words: list[str]) -> tuple[list[str], str]:
    """A name's words without the titles before it (and a final initial), and the last title
    word taken off ("" if none); each part of a hyphenated title counts ("Secretary-General")."""
    title = ""
    while words and all(
        part in _TITLE_SET or part in {"the", "a", "an"}
        for part in words[0].lower().rstrip(".").split("-")
    ):
        if words[0].lower() not in {"the", "a", "an"}:
            title = words[0].lower().rstrip(".").split("-")[-1]
        words = words[1:]
    while words and _INITIAL.fullmatch(words[-1]):
        words = words[:-1]
    return words, title


def _titled(text: str, position: int) -> bool:
    before = text[max(0, position - 30) : position].lower().split()
    return bool(before) and before[-1].rstrip(".,") in _TITLE_SET


_SPEECH = (
    r"(?:said|says|added|adding|told\s+\w+|wrote|tweeted|explained|stated|noted|continued|"
    r"concluded)"
)
_SAYS = re.compile(rf"\b{_SPEECH}\b|\btold\b")
#: A speech verb just before a statement it names ("said in a separate statement").
_SAID_IN = re.compile(rf"\b{_SPEECH}\s+(?:in\s+)?$")
_IN_STATEMENT = (
    r"(?i:in)\s+(?:an?|the|its|his|her|their)\s+(?:[\w-]+\s+){0,2}?(?:statement|readout)\b"
)
#: Words without one of which (or "according to", in any case) no pattern of :data:`_FRAMES`
#: matches: those of :data:`_SPEECH` and of :data:`_IN_STATEMENT`.
_FRAME_WORDS = (
    "said", "says", "added", "adding", "told", "wrote", "tweeted", "explained", "stated",
    "noted", "continued", "concluded", "statement", "readout",
)  # fmt: skip
#: "according to", "according" in any case (its "a" is an "A" or an "a": written so, the
#: pattern opens with a character that the search can skip to).
_ACCORDING = re.compile(r"[Aa](?i:ccording) to")


def _according(text: str) -> list[tuple[int, int]]:
    """The spans of :data:`_ACCORDING` in ``text``, in order: it is tried a character before
    each "ccord" of the lowercased text (where each of its matches has one: ignoring case, "c",
    "o", "r" and "d" match only themselves and their capitals, and only these lowercase to
    them), rather than at each "a" (its matches cannot overlap, so these are all of them)."""
    spans = []
    lower = _lowered(text)
    at = lower.find("ccord", 1)
    while at >= 0:
        match = _ACCORDING.match(text, at - 1)
        if match is not None:
            spans.append(match.span())
        at = lower.find("ccord", at + 1)
    return spans


_AGENT = r"(?P<agent>(?:[A-Za-z.'\-]+\s+){0,6}?[A-Za-z.'\-]+)"

_AFTER_QUOTE = (
    re.compile(rf"[,.]?\s*{_AGENT}\s+{_SPEECH}\b"),
    re.compile(rf"[,.]?\s*{_SPEECH}\s+{_AGENT}[,.]"),
    re.compile(rf"[,.]?\s*(?i:according) to\s+{_AGENT}[,.]"),
    re.compile(rf"[,.]?\s*as\s+{_AGENT}\s+{_SPEECH}"),
)
_BEFORE_QUOTE = (
    # "..., adding on Twitter: "...": the subject of the sentence (an empty agent)
    re.compile(r",\s*(?:and\s+)?(?P<agent>)(?:adding|saying)(?:\s+\w+){0,3}\s*[:,]?\s*$"),
    re.compile(rf"{_AGENT}\s+{_SPEECH}(?:\s+\w+){{0,3}}\s*[:,]?\s*$"),
    re.compile(rf"(?i:according) to\s+{_AGENT},?\s*(?:\w+\s+){{0,2}}$"),
)
#: Attribution frames, tried in order, each with a string that every match of it holds (a
#: quick way past the sentences without it) and whether it is an agent and spaces up to that
#: string, which ends it (so that it can be searched from where its run of agent characters
#: begins up to just after the string's last use).
_FRAMES = (
    (re.compile(rf",\s*{_AGENT}\s+{_SPEECH}\b"), ",", False),
    # "In a statement, X urged ...": whoever opens the clause after it published it
    (re.compile(rf"^{_IN_STATEMENT}\s*,\s*{_AGENT}\s+[a-z]+\b"), ",", False),
    (re.compile(rf"^{_AGENT}\s+(?:said|says|told|wrote)\b"), "", False),
    (re.compile(rf"(?i:according) to\s+{_AGENT}[,.]"), " to", False),
    (re.compile(rf"{_AGENT}\s+said\b"), "said", True),
)
#: The characters of an agent (:data:`_AGENT`) and spaces, read backwards by
#: :func:`_agent_run_start`.
_AGENT_RUN = re.compile(r"[A-Za-z.'\-\s]*")


def _lowered(text: str) -> str:
    """``text`` lowercased, character for character: a character whose lowercase is longer
    ("İ") stays as it is, so that offsets in the result are offsets in ``text``."""
    lower = text.lower()
    if len(lower) == len(text):  # (lowercasing never shortens a character)
        return lower
    return "".join(c if len(c.lower()) > 1 else c.lower() for c in text)


def _agent_run_start(text: str, end: int) -> int:
    """Where the run of agent characters and spaces (:data:`_AGENT_RUN`) that ends at ``end``
    begins."""
    run = _AGENT_RUN.match(text[:end][::-1])
    return end - run.end() if run is not None else end


def _quotations(text: str) -> list[tuple[int, int]]:
    """Spans of quotations (from an opening mark to its closing mark, marks included).

    A mark with a space (or an opening bracket or dash) before it opens, one with a space or
    punctuation after it closes. A quotation still open at the end of a paragraph goes on
    only if the next paragraph opens with a quotation mark (the journalistic convention);
    otherwise it ends with its paragraph.
    """
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for match in _MARK_OR_BREAK.finditer(text):
        position = match.start()
        if text[position] == "\n":
            if opened is not None and text[match.end() : match.end() + 1] != '"':
                spans.append((opened, position))
                opened = None
            elif opened is not None:
                continue  # the next paragraph's opening mark continues this quotation
            continue
        if opened is not None and position > 0 and text[position - 1] == "\n":
            continue  # the continuation mark at the start of a paragraph
        before = text[position - 1] if position else " "
        after = text[position + 1] if position + 1 < len(text) else " "
        opening = before.isspace() or before in "([—-:" or position == 0
        closing = after.isspace() or after in ".,;:!?)]—-" or position + 1 == len(text)
        if opened is None and (opening or not closing):
            opened = position
        elif opened is not None and (closing or not opening):
            spans.append((opened, position + 1))
            opened = None
        elif opened is not None:
            opened = position
    if opened is not None:
        spans.append((opened, len(text)))
    singles = [
        (m.start(), m.end())
        for m in _SINGLE_QUOTE.finditer(text)
        if not any(s < m.end() and m.start() < e for s, e in spans)
    ]
    return sorted(spans + singles)


#: A quotation mark or a run of line breaks ("\n+" written "\n\n*" so that, as both
#: alternatives open with a character, the search goes from one of them to the next).
_MARK_OR_BREAK = re.compile(r'"|\n\n*')
#: A quotation in single marks (headlines, British style): opened before a capital letter at
#: the start of a line or after a space, closed after a sentence mark (",'" ".'" "?'"), so
#: that apostrophes ("it's", "Israel's", "officials' ") never open or close one. What stands
#: before the opening mark (nothing, a space, a bracket or a dash) is checked after it, so that
#: the search goes from one mark to the next.
_SINGLE_QUOTE = re.compile(r"'(?<![^\s(\[—]')(?=[A-Z])(?:[^'\n]|'(?=\w))*?[.,!?]'(?!\w)")
