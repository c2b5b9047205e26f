"""Rosters of officials: who is who, under which names and titles, at which dates.

    roster = load_roster("corpora/gaza-2021-2023/roster.yaml")
    roster.resolve("Mr. Sullivan")                                    # 'Jake Sullivan'
    roster.resolve("the Secretary of Defense", pd.Timestamp("2022-03-01"))  # 'Lloyd Austin'
    roster.resolve("a White House statement")                         # 'White House'
    suggested = suggest_roster(documents)        # a roster proposed from the corpus text
    print(roster_yaml(suggested))                # ... for the user to check and edit

File format (``roster.yaml``)
-----------------------------
Either a YAML list of people, or a mapping ``{people: [...], organisations: [...]}``
(``organizations`` is accepted too). Read with :func:`yaml.safe_load` only.

A person is a mapping (a bare string is a person with only a name)::

    - name: Antony Blinken                 # canonical name (required)
      aliases: [Antony J. Blinken, Tony Blinken]   # other names; undated
      organisation: State Department       # default organisation of the titles
      titles:                              # a bare string is a title without dates
        - title: Secretary of State        # (required)
          aliases: [Secretary]             # other words for the title; dated like it
          organisation: State Department   # optional, overrides the person's
          from: 2021-01-26                 # first day held, ISO date; omitted = open
          to: 2025-01-20                   # last day held, ISO date; omitted = open

An organisation is a mapping (or a bare string)::

    - name: White House
      aliases: [the White House, a White House statement]
      part_of: United States               # optional: another organisation of the roster

Titles are written the way the corpus uses them *bare*: "President" for the president that
"the president" means in this corpus, "Palestinian President" for another one.

Person aliases are not dated: put a title reference ("the Secretary") in the aliases of a
*title*, never of a person, so that it resolves to whoever held the title at the date.

Every problem (invalid YAML, an entry without a name, an unknown key, a bad date, ``from``
after ``to``, two entries sharing a name or alias, an unknown ``part_of``) raises
:class:`~phrasedrift.errors.RosterError` naming the file, the entry (its number and name) and
the problem, with the line number wherever YAML gives one.

Resolution (:meth:`Roster.resolve`)
-----------------------------------
A mention is compared through its *normal form*: accents, case, possessive ``'s``, periods
and other punctuation are dropped, hyphens split words ("Ben-Shabbat" = "Ben Shabbat"),
"adviser"/"advisor" and the other spelling pairs of :data:`phrasedrift.config.SPELLING_VARIANTS`
are folded, a leading "the" is ignored. In names, middle initials and "Jr."/"III" are dropped
too ("Antony J. Blinken" = "Antony Blinken"). An alias written in capitals (an acronym: "UN",
"U.S.", "IDF") matches only a mention in capitals, so "us" is never "US". Tried in order:

1. a person's name or alias -> that person (an alias in capitals matches only in capitals);
2. an organisation's name or alias -> that organisation;
3. a last name ("Blinken", "Ben-Shabbat", "Al Thani") -> the one person of that last name
   (None when two people share it);
4. a name after words that may precede a name ("Secretary of State Antony J. Blinken": any
   words before a full name; "Mr. Sullivan", "Secretary Blinken", "Prime Minister
   Netanyahu": only courtesy titles, ranks and title words before a last name);
5. a *title reference* at ``date`` ("the Secretary of State", "the secretary", "the
   Pentagon press secretary"). The forms of a title are its text and aliases, each also
   preceded by a name or alias of its organisation or of an organisation that one is part of
   ("Press Secretary" of the White House is also "White House Press Secretary" and, the White
   House being part of the United States, "US Press Secretary"), or followed by "of", "for",
   "at", "to" or "in" and one of them; "spokesman"/"spokeswoman"/"spokesperson" and the other
   pairs of :data:`TITLE_FOLDS` are one word here. Among the titles held at ``date`` (all
   titles when ``date`` is None):

   a. the titles with a form equal to the mention; if none,
   b. the titles with a form that ends with the mention, when the mention contains a title
      word (:data:`TITLE_HEADS`) and the words before it do not make a subordinate office
      ("deputy", "vice", "assistant", ...): "the press secretary" may be the White House
      Press Secretary, never a Deputy Press Secretary.

   Where the titles found are named through organisations, those named through their own
   organisation beat those named through a parent ("White House spokeswoman" is the White
   House's spokesperson, not the spokesperson of the National Security Council, which is part
   of the White House). The mention resolves when the titles left are held by exactly one
   person. On a handover day (one term ends on the day another begins) the incoming holder is
   meant.

Anything else, or anything ambiguous, is None: the roster never guesses.

:meth:`Roster.title_of` gives the title a person held at a date (of several, the one taken up
last); :meth:`Roster.person` the :class:`Person` entry a mention resolves to.

Suggesting a roster (:func:`suggest_roster`)
--------------------------------------------
:func:`find_mentions` reads each line of each document for personal names (runs of
capitalised words, with initials and particles such as "bin" or "al") and their cue: a title
just before the name ("National Security Advisor Jake Sullivan", "Pentagon Press Secretary
Brig. Gen. Pat Ryder"), a title in apposition before or after it ("the deputy United Nations
spokesman, Farhan Haq," / "Farhan Haq, the deputy spokesman,"), a courtesy title or rank
("Mr. Sullivan"), a role noun ("his Israeli counterpart, Tzachi Hanegbi"). A title is a
stretch of capitalised words, title words (:data:`TITLE_HEADS`, :data:`TITLE_WORDS`) and
"of"/"for"/"the"/"and" with at least one title head in it. Only the vocabulary is built in,
never a particular person. Names found with a cue anchor a person; other mentions of the same
full name or last name count as evidence; a past or future title ("former Secretary of State
Mike Pompeo", "then-", "-designate") is not kept. :meth:`Roster.from_mentions` then merges the
names of one person (the same normal form, or spellings at least ``name_similarity`` alike
that share a first or last word: "Antony"/"Anthony Blinken", "Ben Shabat"/"Ben-Shabbat"),
attaches a last name used alone to the one full name that ends with it, keeps the titles seen
with the name (a title with a leading qualifier such as "US" counts for the bare title, the
same title words in another order are one title, and a title whose words are all in another
is dropped; the dates of the first and last document showing a title become its ``from`` and
``to``: a suggestion, not the term of office) and adds the last name as an alias when it is
used alone.

Mentions table (:func:`find_mentions`): ``doc_id``, ``date``, ``start``, ``end`` (offsets of
the name in the text), ``name`` (as written), ``title`` (as written, or missing), ``cue``
(``title``, ``appositive``, ``honorific``, ``role`` or ``name``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd
import yaml
from rapidfuzz import fuzz

from phrasedrift.config import FUNCTION_WORDS, SPELLING_VARIANTS
from phrasedrift.errors import RosterError, SchemaError

__all__ = [
    "NAME_SIMILARITY",
    "Organisation",
    "Person",
    "Roster",
    "Title",
    "find_mentions",
    "load_roster",
    "parse_roster",
    "roster_yaml",
    "suggest_roster",
]

# --- vocabulary ----------------------------------------------------------------------------

#: Courtesy titles before a name ("Mr. Sullivan"), lowercase without the period.
HONORIFICS: tuple[str, ...] = (
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame",
)  # fmt: skip
#: Military ranks before a name ("Brig. Gen. Pat Ryder", "General Mark Milley").
RANKS: tuple[str, ...] = (
    "gen", "general", "lt", "lieutenant", "brig", "brigadier", "col", "colonel", "maj",
    "major", "capt", "captain", "adm", "admiral", "rear", "cmdr", "sgt", "sergeant", "cpl",
    "corporal", "pvt", "marshal", "ret",
)  # fmt: skip
#: Words that head a title: a title contains one of them ("Press Secretary", "spokesman").
TITLE_HEADS: tuple[str, ...] = (
    "president", "premier", "chancellor", "minister", "secretary", "undersecretary",
    "advisor", "counselor", "counsellor", "spokesperson", "spokesman", "spokeswoman",
    "ambassador", "envoy", "representative", "chairman", "chairwoman", "chairperson", "chair",
    "chief", "director", "administrator", "coordinator", "commissioner", "commander",
    "governor", "mayor", "senator", "congressman", "congresswoman", "lawmaker", "speaker",
    "leader", "king", "queen", "emir", "prince", "princess", "sultan", "monarch", "attorney",
    "inspector", "surgeon", "solicitor", "prosecutor", "judge", "negotiator", "mediator",
    "head", "sen", "rep", "gov", "amb", "sec", "pres",
)  # fmt: skip
#: Other words of titles and of the organisations named in them ("National Security",
#: "State Department"): never part of a personal name.
TITLE_WORDS: tuple[str, ...] = (
    "press", "foreign", "defense", "national", "security", "state", "prime", "vice", "deputy",
    "assistant", "principal", "senior", "special", "acting", "first", "communications",
    "strategic", "homeland", "interior", "finance", "treasury", "health", "justice",
    "affairs", "public", "military", "joint", "staff", "chiefs", "executive", "minority",
    "majority", "intelligence", "political", "economic", "trade", "energy", "commerce",
    "education", "agriculture", "transportation", "environment", "housing", "policy",
    "operations", "armed", "department", "ministry", "office", "house", "council", "agency",
    "administration", "authority", "forces", "force", "army", "navy", "command", "mission",
    "nations", "union", "committee", "commission", "court", "government", "embassy",
    "consulate", "parliament", "congress", "senate", "cabinet", "bureau", "service",
    "pentagon", "kremlin", "republic", "states", "kingdom", "party", "movement",
)  # fmt: skip
#: Words before a title that make it a past or future one ("former", "then-", "-designate").
NOT_CURRENT: tuple[str, ...] = (
    "former", "ex", "then", "late", "incoming", "designate", "elect", "future", "onetime",
)  # fmt: skip
#: Words that make an office subordinate: "the spokesman" is never a deputy spokesman.
SUBORDINATE_WORDS: tuple[str, ...] = (
    "deputy", "vice", "assistant", "under", "associate", "alternate",
)  # fmt: skip
#: Nouns naming a person by role, not by title ("his Israeli counterpart, Tzachi Hanegbi").
ROLE_NOUNS: tuple[str, ...] = ("counterpart", "counterparts")
#: Lowercase particles inside names ("Mohamed bin Abdulrahman", "Ursula von der Leyen").
PARTICLES: tuple[str, ...] = (
    "al", "el", "bin", "ibn", "bint", "ben", "abu", "abd", "de", "del", "della", "der", "den",
    "di", "da", "dos", "du", "la", "le", "van", "von", "ter", "ten",
)  # fmt: skip
#: Name endings dropped when names are compared ("Lloyd J. Austin III" = "Lloyd Austin").
GENERATIONAL_SUFFIXES: tuple[str, ...] = ("jr", "sr", "ii", "iii", "iv")
#: Capitalised words that are never part of a name: days, months, sentence adverbs.
NON_NAME_WORDS: tuple[str, ...] = (
    *FUNCTION_WORDS, "i", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "january", "february", "march", "april", "june", "july", "august",
    "september", "october", "november", "december", "meanwhile", "earlier", "later",
    "separately", "however", "today", "yesterday", "tomorrow", "tonight", "thus", "still",
    "instead", "indeed", "speaking", "asked", "according",
)  # fmt: skip
#: Names of one person are merged when this similar (0..1, rapidfuzz ratio of the normal
#: forms) and sharing their first or last word ("Antony"/"Anthony Blinken").
NAME_SIMILARITY = 0.9

_CONNECTORS = frozenset({"of", "for", "the", "to", "at", "on", "in", "and"})
_TRIM = frozenset({"the", "a", "an", "his", "her", "its", "their", "our", "of", "for", "to",
                   "at", "on", "in", "and"})  # fmt: skip
_PREPOSITIONS = ("of", "for", "at", "to", "in")
_HEADS = frozenset(TITLE_HEADS)
_TITLEISH = frozenset(TITLE_HEADS) | frozenset(TITLE_WORDS)
_RANKS = frozenset(RANKS)
_HONORIFICS = frozenset(HONORIFICS)
_NON_NAME = frozenset(NON_NAME_WORDS)
_PARTICLES = frozenset(PARTICLES)
_NOT_CURRENT = frozenset(NOT_CURRENT)
_SUBORDINATE = frozenset(SUBORDINATE_WORDS)
_ROLES = frozenset(ROLE_NOUNS)
_SUFFIXES = frozenset(GENERATIONAL_SUFFIXES)
_ABBREVIATED = _HONORIFICS | _RANKS | frozenset({"sen", "rep", "gov", "amb", "sec", "pres",
                                                 "st", "jr", "sr", "rev", "hon"})  # fmt: skip

# --- normal forms --------------------------------------------------------------------------

_SPELLING = dict(SPELLING_VARIANTS)
#: Title words compared as one ("State Department spokesman" = "... Spokesperson").
TITLE_FOLDS: tuple[tuple[str, str], ...] = (
    ("spokesman", "spokesperson"), ("spokeswoman", "spokesperson"),
    ("chairwoman", "chairman"), ("chairperson", "chairman"), ("chair", "chairman"),
    ("congresswoman", "congressman"),
)  # fmt: skip
_TITLE_FOLDS = dict(TITLE_FOLDS)
_POSSESSIVE = re.compile(r"(?<=[^\W_])['’ʼ][sS]\b")
_DOTTED = re.compile(r"(?<![^\W_])(?:[^\W\d_]\.){2,}")
_APOSTROPHES = re.compile(r"['’ʼ‘`]")
_SEPARATORS = re.compile(r"[\W_]+")
_LEADING_THE = re.compile(r"^\s*the\s+", re.IGNORECASE)


def _words(text: str) -> tuple[str, ...]:
    """The normal form of a name, title or mention as a tuple of words."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _POSSESSIVE.sub("", text)
    text = _DOTTED.sub(lambda m: m.group().replace(".", ""), text)
    text = _APOSTROPHES.sub("", text)
    words = _SEPARATORS.sub(" ", text).casefold().split()
    return tuple(_SPELLING.get(word, word) for word in words)


def _name_key(words: Sequence[str]) -> str:
    """Key of a personal name: no leading "the", generational suffix or middle initials."""
    kept = list(words[1:] if words[:1] == ("the",) else words)
    while len(kept) > 1 and kept[-1] in _SUFFIXES:
        kept.pop()
    if len(kept) > 2:
        kept = [kept[0], *(w for w in kept[1:-1] if len(w) > 1), kept[-1]]
    return " ".join(kept)


def _org_key(words: Sequence[str]) -> str:
    return " ".join(words[1:] if words[:1] == ("the",) else words)


def _title_words(words: Sequence[str]) -> tuple[str, ...]:
    """Words of a title: every "the" and a leading "a"/"an" dropped, gendered words folded."""
    kept = tuple(_TITLE_FOLDS.get(w, w) for w in words if w != "the")
    return kept[1:] if kept[:1] in (("a",), ("an",)) else kept


def _acronym(text: str) -> str | None:
    """ "US" for "U.S.", "the UN" -> "UN"; None unless written in capitals."""
    compact = _LEADING_THE.sub("", text.strip()).replace(".", "").replace(" ", "")
    if 2 <= len(compact) <= 6 and compact.isalpha() and compact.isupper():
        return compact
    return None


def _last_names(name: str) -> set[str]:
    """Keys a person may be called by alone: "Blinken"; "Ben Shabbat" and "Shabbat"."""
    tokens = [t for t in name.split() if _words(t)]
    while len(tokens) > 1 and _words(tokens[-1])[-1] in _SUFFIXES:
        tokens.pop()
    if not tokens:
        return set()
    last = _words(tokens[-1])
    keys = {" ".join(last)}
    if len(last) > 1 and last[0] in _PARTICLES:
        keys.add(" ".join(last[1:]))
    if len(tokens) > 2 and _words(tokens[-2])[-1] in _PARTICLES:
        keys.add(" ".join((*_words(tokens[-2]), *last)))
    return keys


def _day(date: object) -> dt.date | None:
    """A date from a Timestamp, datetime, date or ISO string; None for None and NaT."""
    if date is None or date is pd.NaT:
        return None
    if isinstance(date, dt.datetime):
        return date.date()
    if isinstance(date, dt.date):
        return date
    if isinstance(date, str):
        stamp = pd.Timestamp(date)
        return None if pd.isna(stamp) else stamp.date()
    raise TypeError(f"not a date: {date!r}")


# --- the roster ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    """A title one person held from ``start`` to ``end`` (inclusive; None = open)."""

    title: str
    organisation: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    aliases: tuple[str, ...] = ()
    note: str = field(default="", compare=False)

    def held_at(self, date: pd.Timestamp | dt.date | str | None) -> bool:
        """Whether the title was held at ``date`` (always, when ``date`` is None)."""
        day = _day(date)
        if day is None:
            return True
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Person:
    """One official: canonical name, other names, organisation and titles."""

    name: str
    aliases: tuple[str, ...] = ()
    organisation: str | None = None
    titles: tuple[Title, ...] = ()
    note: str = field(default="", compare=False)


@dataclass(frozen=True)
class Organisation:
    """An organisation that speaks or whose officials hold titles."""

    name: str
    aliases: tuple[str, ...] = ()
    part_of: str | None = None


@dataclass(frozen=True, eq=False)
class _TitleRef:
    person: int
    title: Title
    forms: Mapping[tuple[str, ...], int]  # form -> organisation depth (0: own or none)


class _Index:
    """Lookup tables of a roster; building them checks that no two entries share a name."""

    def __init__(self, roster: Roster) -> None:
        self.source = roster.source
        self.names: dict[str, int] = {}
        self.orgs: dict[str, int] = {}
        self.acronyms: dict[str, tuple[str, int]] = {}
        self.last: defaultdict[str, set[int]] = defaultdict(set)
        self.org_of_key: dict[str, int] = {}
        owners: dict[str, str] = {}

        def claim(key: str, owner: str, text: str) -> None:
            if key in owners and owners[key] != owner:
                raise RosterError(
                    f"{self.source}: {owners[key]} and {owner} share the name or alias {text!r}"
                )
            owners[key] = owner

        for i, org in enumerate(roster.organisations):
            owner = f"organisations entry {i + 1} ({org.name!r})"
            for text in (org.name, *org.aliases):
                acronym = _acronym(text)
                if acronym is not None:
                    claim("\0" + acronym, owner, text)
                    self.acronyms[acronym] = ("org", i)
                else:
                    key = _org_key(_words(text))
                    if not key:
                        raise RosterError(f"{self.source}: {owner}: {text!r} has no words")
                    claim(key, owner, text)
                    self.orgs[key] = i
        for i, person in enumerate(roster.people):
            owner = f"people entry {i + 1} ({person.name!r})"
            for text in (person.name, *person.aliases):
                acronym = _acronym(text)
                if acronym is not None and text != person.name:
                    claim("\0" + acronym, owner, text)
                    self.acronyms[acronym] = ("person", i)
                    continue
                key = _name_key(_words(text))
                if not key:
                    raise RosterError(f"{self.source}: {owner}: {text!r} has no words")
                claim(key, owner, text)
                self.names[key] = i
                if len(key.split()) == 1 or text == person.name:
                    for last in _last_names(text):
                        self.last[last].add(i)
        self.parents = self._parents(roster)
        self.titles = [
            _TitleRef(i, title, self._forms(roster, person, title))
            for i, person in enumerate(roster.people)
            for title in person.titles
        ]
        self.prefix_words = _TITLEISH | _RANKS | _HONORIFICS | _CONNECTORS
        self.prefix_words |= {w for ref in self.titles for form in ref.forms for w in form}
        self.cache: dict[tuple[str, dt.date | None], str | None] = {}

    def _parents(self, roster: Roster) -> dict[int, int]:
        parents: dict[int, int] = {}
        for i, org in enumerate(roster.organisations):
            if org.part_of is None:
                continue
            parent = self.org(org.part_of)
            if parent is None:
                raise RosterError(
                    f"{self.source}: organisations entry {i + 1} ({org.name!r}): part_of "
                    f"{org.part_of!r} is not an organisation of the roster"
                )
            parents[i] = parent
        for start in parents:
            seen, at = {start}, start
            while at in parents:
                at = parents[at]
                if at in seen:
                    name = roster.organisations[start].name
                    raise RosterError(
                        f"{self.source}: organisations entry {start + 1} ({name!r}): part_of "
                        "makes a cycle"
                    )
                seen.add(at)
        return parents

    def org(self, text: str) -> int | None:
        acronym = _acronym(text)
        if acronym is not None and self.acronyms.get(acronym, ("", 0))[0] == "org":
            return self.acronyms[acronym][1]
        return self.orgs.get(_org_key(_words(text)))

    def _forms(self, roster: Roster, person: Person, title: Title) -> dict[tuple[str, ...], int]:
        """Each form of a title with its depth: 0 bare or with its own organisation, 1 with
        the organisation that one is part of, and so on."""
        bases = {_title_words(_words(text)) for text in (title.title, *title.aliases)}
        bases.discard(())
        qualifiers: dict[tuple[str, ...], int] = {}
        organisation = title.organisation or person.organisation
        if organisation is not None:
            at = self.org(organisation)
            if at is None:
                qualifiers[_title_words(_words(organisation))] = 0
            depth, seen = 0, set()
            while at is not None and at not in seen:
                seen.add(at)
                org = roster.organisations[at]
                for text in (org.name, *org.aliases):
                    qualifiers.setdefault(_title_words(_words(text)), depth)
                at, depth = self.parents.get(at), depth + 1
        qualifiers.pop((), None)
        forms = dict.fromkeys(bases, 0)
        for base in bases:
            for qualifier, depth in qualifiers.items():
                for form in ((*qualifier, *base), *((*base, p, *qualifier) for p in _PREPOSITIONS)):
                    forms[form] = min(depth, forms.get(form, depth))
        return forms


@dataclass(frozen=True)
class Roster:
    """People and organisations, with the lookups that resolve mentions of them.

    Build one with :func:`load_roster`, :func:`parse_roster`, :func:`suggest_roster`,
    :meth:`from_mentions`, :meth:`empty` or directly from :class:`Person` and
    :class:`Organisation` entries (which raises :class:`RosterError` when two entries share a
    name or alias). Two rosters are equal when their entries are.
    """

    people: tuple[Person, ...] = ()
    organisations: tuple[Organisation, ...] = ()
    source: str = field(default="<roster>", compare=False)
    note: str = field(default="", compare=False)
    _index: _Index = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "people", tuple(self.people))
        object.__setattr__(self, "organisations", tuple(self.organisations))
        object.__setattr__(self, "_index", _Index(self))

    @classmethod
    def empty(cls) -> Roster:
        """A roster without entries: every mention resolves to None."""
        return cls()

    @classmethod
    def from_mentions(
        cls,
        mentions: pd.DataFrame,
        *,
        name_similarity: float = NAME_SIMILARITY,
        note: str = "",
    ) -> Roster:
        """A roster of the people in a mentions table (see :func:`find_mentions`).

        Names of one person are merged (same normal form, or ``name_similarity`` alike and
        sharing their first or last word); the most common full name is canonical, the others
        and the last name (when used alone) are aliases; the titles seen with the names are
        kept with the dates of the first and last document showing them.
        """
        return cls(
            _people_from_mentions(mentions, name_similarity),
            source="<suggested>",
            note=note,
        )

    def __len__(self) -> int:
        return len(self.people) + len(self.organisations)

    def person(self, mention: str) -> Person | None:
        """The person a mention resolves to (without a date), or None."""
        name = self.resolve(mention)
        for person in self.people:
            if person.name == name:
                return person
        return None

    def title_of(self, name: str, date: pd.Timestamp | dt.date | str | None = None) -> str | None:
        """The title ``name`` held at ``date``, or None.

        Of several titles held at once, the one taken up last (then the first listed);
        without a date, the title taken up last of all. ``name`` is resolved first, so any
        name or alias of the person works.
        """
        person = self.person(name)
        if person is None:
            return None
        held = [title for title in person.titles if title.held_at(date)]
        if not held:
            return None
        return max(reversed(held), key=lambda t: t.start or dt.date.min).title

    def resolve(self, mention: str, date: pd.Timestamp | dt.date | str | None = None) -> str | None:
        """The canonical name of the person or organisation ``mention`` refers to, or None.

        ``date`` (of the document) decides title references ("the Secretary of State");
        names and aliases do not depend on it. See the module docstring for the rules.
        """
        if not isinstance(mention, str):
            return None
        day = _day(date)
        key = (mention, day)
        index = self._index
        if key not in index.cache:
            index.cache[key] = self._resolve(mention, day)
        return index.cache[key]

    def _resolve(self, mention: str, day: dt.date | None) -> str | None:
        index = self._index
        acronym = _acronym(mention)
        if acronym is not None and acronym in index.acronyms:
            kind, i = index.acronyms[acronym]
            return self.organisations[i].name if kind == "org" else self.people[i].name
        words = _words(mention)
        if not words:
            return None
        name = _name_key(words)
        if name in index.names:
            return self.people[index.names[name]].name
        org = _org_key(words)
        if org in index.orgs:
            return self.organisations[index.orgs[org]].name
        person = self._by_last_name(name)
        if person is not None:
            return person
        for cut in range(1, len(words)):
            rest = _name_key(words[cut:])
            if rest in index.names:
                return self.people[index.names[rest]].name
            if all(w in index.prefix_words for w in words[:cut]):
                person = self._by_last_name(rest)
                if person is not None:
                    return person
        return self._title_holder(_title_words(words), day)

    def _by_last_name(self, key: str) -> str | None:
        people = self._index.last.get(key, set())
        return self.people[next(iter(people))].name if len(people) == 1 else None

    def _title_holder(self, words: tuple[str, ...], day: dt.date | None) -> str | None:
        if not words:
            return None
        held = [ref for ref in self._index.titles if ref.title.held_at(day)]
        found = {ref: ref.forms[words] for ref in held if words in ref.forms}
        if not found and _HEADS.intersection(words):
            n = len(words)
            for ref in held:
                depths = [
                    depth
                    for form, depth in ref.forms.items()
                    if len(form) > n
                    and form[-n:] == words
                    and not _SUBORDINATE.intersection(form[:-n])
                ]
                if depths:
                    found[ref] = min(depths)
        if found:  # a title of the organisation named beats one of its parent organisation
            best = min(found.values())
            found = {ref: depth for ref, depth in found.items() if depth == best}
        people = {ref.person for ref in found}
        if len(people) > 1 and day is not None:
            incoming = {ref.person for ref in found if ref.title.start == day}
            if incoming:
                people -= {
                    ref.person
                    for ref in found
                    if ref.title.end == day and ref.person not in incoming
                }
        return self.people[people.pop()].name if len(people) == 1 else None


# --- reading and writing roster files --------------------------------------------------------

_PERSON_KEYS = ("name", "aliases", "organisation", "titles")
_TITLE_KEYS = ("title", "aliases", "organisation", "from", "to")
_ORG_KEYS = ("name", "aliases", "part_of")
_TOP_KEYS = ("people", "organisations")
_SPELLINGS = {"organization": "organisation", "organizations": "organisations"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YAML_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def load_roster(path: str | Path) -> Roster:
    """Read a roster file (see the module docstring for the format).

    Raises :class:`RosterError` naming the file, the entry and the problem.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise RosterError(f"{path}: no such roster file") from error
    except (OSError, UnicodeDecodeError) as error:
        raise RosterError(f"{path}: cannot be read: {error}") from error
    return parse_roster(text, source=str(path))


def corpus_roster(root: str | Path | None) -> Roster | None:
    """The roster of a corpus folder (its ``roster.yaml`` or ``roster.yml``), or None."""
    if root is None:
        return None
    for name in ("roster.yaml", "roster.yml"):
        if (Path(root) / name).is_file():
            return load_roster(Path(root) / name)
    return None


def parse_roster(text: str, *, source: str = "<roster>") -> Roster:
    """A roster from the text of a roster file; ``source`` names it in error messages."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise RosterError(f"{source}: {_yaml_problem(error)}") from error
    nodes = _NodeMap(root)
    nodes.check_dates(source)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:  # a tag that safe_load refuses (!!python/object...)
        raise RosterError(f"{source}: {_yaml_problem(error)}") from error
    except ValueError as error:
        raise RosterError(f"{source}: invalid YAML value: {error}") from error
    return _Parser(source, nodes).roster(data)


def _yaml_problem(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    where = f"line {mark.line + 1}: " if mark is not None else ""
    return f"{where}invalid YAML: {problem}"


_KeyPath = tuple[Any, ...]


class _NodeMap:
    """Line numbers (and scalar texts) of the nodes of a YAML document, by path."""

    def __init__(self, root: yaml.Node | None) -> None:
        self.lines: dict[_KeyPath, int] = {}
        self.scalars: dict[_KeyPath, yaml.ScalarNode] = {}
        if root is not None:
            self._walk(root, ())

    def _walk(self, node: yaml.Node, path: _KeyPath) -> None:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            self.scalars[path] = node
        elif isinstance(node, yaml.SequenceNode):
            for i, child in enumerate(node.value):
                self._walk(child, (*path, i))
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else repr(key)
                self._walk(value, (*path, _SPELLINGS.get(name, name)))
                self.lines[(*path, _SPELLINGS.get(name, name))] = key.start_mark.line + 1

    def text(self, path: _KeyPath) -> str | None:
        node = self.scalars.get(path)
        return None if node is None else str(node.value)

    def check_dates(self, source: str) -> None:
        """Dates that YAML would read as dates but that do not exist (2021-02-30)."""
        for path, node in self.scalars.items():
            if node.tag != "tag:yaml.org,2002:timestamp":
                continue
            match = _YAML_DATE.match(node.value)
            if match is None:
                continue
            try:
                dt.date(*(int(part) for part in match.group().split("-")))
            except ValueError as error:
                raise RosterError(
                    f"{source}: line {self.lines[path]}: {_describe(path, self.text)}: "
                    f"{path[-1]!r} is not a date: {node.value!r} ({error})"
                ) from error


def _describe(path: _KeyPath, text: Callable[[_KeyPath], str | None]) -> str:
    """ "people entry 3 ('Antony Blinken'), title 2 ('Secretary of State')" for a path."""
    if path[:1] in (("people",), ("organisations",)):
        kind, rest, prefix = str(path[0]), path[1:], path[:1]
    else:
        kind, rest, prefix = "people", path, ()
    if not rest or not isinstance(rest[0], int):
        return f"{kind} list"
    entry = (*prefix, rest[0])
    name = text((*entry, "name")) or text(entry)
    out = f"{kind} entry {rest[0] + 1}" + (f" ({name!r})" if name else "")
    if len(rest) > 2 and rest[1] == "titles" and isinstance(rest[2], int):
        title_path = (*entry, "titles", rest[2])
        title = text((*title_path, "title")) or text(title_path)
        out += f", title {rest[2] + 1}" + (f" ({title!r})" if title else "")
    return out


class _Parser:
    """Turns loaded YAML data into a Roster, failing with the file, entry and line."""

    def __init__(self, source: str, nodes: _NodeMap) -> None:
        self.source = source
        self.nodes = nodes
        self.data: Any = None

    def _text_at(self, path: _KeyPath) -> str | None:
        value: Any = self.data
        for part in path:
            if isinstance(value, Mapping):
                value = next(
                    (v for k, v in value.items() if _SPELLINGS.get(str(k), str(k)) == part), None
                )
            elif isinstance(value, list) and isinstance(part, int) and part < len(value):
                value = value[part]
            else:
                return None
        return value.strip() if isinstance(value, str) and value.strip() else None

    def fail(self, path: _KeyPath, problem: str) -> NoReturn:
        line = None
        for cut in range(len(path), -1, -1):
            line = self.nodes.lines.get(path[:cut])
            if line is not None:
                break
        at = f"line {line}: " if line is not None else ""
        raise RosterError(f"{self.source}: {at}{_describe(path, self._text_at)}: {problem}")

    def roster(self, data: Any) -> Roster:
        self.data = data
        people: Any
        organisations: Any = None
        people_path: _KeyPath
        if data is None:
            return Roster(source=self.source)
        if isinstance(data, list):
            people, people_path = data, ()
        elif isinstance(data, Mapping):
            top = {_SPELLINGS.get(str(k), str(k)): v for k, v in data.items()}
            for key in top:
                if key not in _TOP_KEYS:
                    raise RosterError(
                        f"{self.source}: line {self.nodes.lines.get((key,), 1)}: unknown key "
                        f"{key!r} at the top (expected a list of people, or people and "
                        "organisations)"
                    )
            people, people_path = top.get("people") or [], ("people",)
            organisations = top.get("organisations") or []
        else:
            raise RosterError(
                f"{self.source}: line 1: a roster is a list of people or a mapping with people "
                f"and organisations, not {_kind(data)}"
            )
        if not isinstance(people, list):
            raise RosterError(
                f"{self.source}: line {self.nodes.lines.get(people_path, 1)}: people must be a "
                f"list, not {_kind(people)}"
            )
        if organisations is not None and not isinstance(organisations, list):
            raise RosterError(
                f"{self.source}: line {self.nodes.lines.get(('organisations',), 1)}: "
                f"organisations must be a list, not {_kind(organisations)}"
            )
        return Roster(
            tuple(self._person(item, (*people_path, i)) for i, item in enumerate(people)),
            tuple(
                self._organisation(item, ("organisations", i))
                for i, item in enumerate(organisations or [])
            ),
            source=self.source,
        )

    def _entry(
        self, item: Any, path: _KeyPath, required: str, keys: Sequence[str]
    ) -> dict[str, Any]:
        if isinstance(item, str):
            item = {required: item}
        if not isinstance(item, Mapping):
            self.fail(path, f"expected a mapping with a {required}, not {_kind(item)}")
        entry = {_SPELLINGS.get(str(k), str(k)): v for k, v in item.items()}
        value = entry.get(required)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.fail(path, f"no {required}")
        if not isinstance(value, str):
            self.fail(
                (*path, required),
                f"{required} must be text, not {_kind(value)} {value!r} (quote it)",
            )
        for key in entry:
            if key not in keys:
                self.fail((*path, key), f"unknown key {key!r} (expected one of: {', '.join(keys)})")
        entry[required] = value.strip()
        return entry

    def _person(self, item: Any, path: _KeyPath) -> Person:
        entry = self._entry(item, path, "name", _PERSON_KEYS)
        titles = entry.get("titles") or []
        if not isinstance(titles, list):
            titles = [titles]
        return Person(
            name=entry["name"],
            aliases=self._texts(entry.get("aliases"), (*path, "aliases")),
            organisation=self._text(entry.get("organisation"), (*path, "organisation")),
            titles=tuple(
                self._title(title, (*path, "titles", j)) for j, title in enumerate(titles)
            ),
        )

    def _title(self, item: Any, path: _KeyPath) -> Title:
        entry = self._entry(item, path, "title", _TITLE_KEYS)
        start = self._date(entry.get("from"), (*path, "from"))
        end = self._date(entry.get("to"), (*path, "to"))
        if start is not None and end is not None and start > end:
            self.fail(path, f"'from' ({start}) is after 'to' ({end})")
        return Title(
            title=entry["title"],
            organisation=self._text(entry.get("organisation"), (*path, "organisation")),
            start=start,
            end=end,
            aliases=self._texts(entry.get("aliases"), (*path, "aliases")),
        )

    def _organisation(self, item: Any, path: _KeyPath) -> Organisation:
        entry = self._entry(item, path, "name", _ORG_KEYS)
        return Organisation(
            name=entry["name"],
            aliases=self._texts(entry.get("aliases"), (*path, "aliases")),
            part_of=self._text(entry.get("part_of"), (*path, "part_of")),
        )

    def _text(self, value: Any, path: _KeyPath) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str):
            self.fail(path, f"{path[-1]} must be text, not {_kind(value)} {value!r} (quote it)")
        return value.strip()

    def _texts(self, value: Any, path: _KeyPath) -> tuple[str, ...]:
        if value is None:
            return ()
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list):
            self.fail(path, f"{path[-1]} must be a list of texts, not {_kind(value)}")
        out: list[str] = []
        for i, text in enumerate(values):
            if not isinstance(text, str) or not text.strip():
                self.fail(
                    (*path, i), f"{path[-1]} must be texts, not {_kind(text)} {text!r} (quote it)"
                )
            out.append(text.strip())
        return tuple(dict.fromkeys(out))

    def _date(self, value: Any, path: _KeyPath) -> dt.date | None:
        if value is None or value == "":
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.fail(path, f"{path[-1]!r} is not a date (YYYY-MM-DD): {value!r}")


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dt.date):
        return "a date"
    return f"a {type(value).__name__}"


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 .'’-]*[A-Za-z0-9.]|[A-Za-z]")


def _scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when that reads back the same, else double-quoted."""
    if _PLAIN.fullmatch(text) and " #" not in text and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


def roster_yaml(roster: Roster) -> str:
    """The roster as the text of a roster file (mapping form); notes become comments.

    ``load_roster`` of this text gives back an equal roster.
    """
    lines = [f"# {line}".rstrip() for line in roster.note.splitlines()]
    lines.append("people:" if roster.people else "people: []")
    for person in roster.people:
        lines.append(f"  - name: {_scalar(person.name)}")
        if person.note:
            lines.append(f"    # {person.note}")
        if person.aliases:
            lines.append("    aliases:")
            lines += [f"      - {_scalar(alias)}" for alias in person.aliases]
        if person.organisation:
            lines.append(f"    organisation: {_scalar(person.organisation)}")
        if person.titles:
            lines.append("    titles:")
        for title in person.titles:
            comment = f"  # {title.note}" if title.note else ""
            lines.append(f"      - title: {_scalar(title.title)}{comment}")
            if title.aliases:
                lines.append(f"        aliases: [{', '.join(map(_scalar, title.aliases))}]")
            if title.organisation:
                lines.append(f"        organisation: {_scalar(title.organisation)}")
            if title.start is not None:
                lines.append(f"        from: {title.start.isoformat()}")
            if title.end is not None:
                lines.append(f"        to: {title.end.isoformat()}")
    if roster.organisations:
        lines.append("organisations:")
    for org in roster.organisations:
        lines.append(f"  - name: {_scalar(org.name)}")
        if org.aliases:
            lines.append(f"    aliases: [{', '.join(map(_scalar, org.aliases))}]")
        if org.part_of:
            lines.append(f"    part_of: {_scalar(org.part_of)}")
    return "\n".join(lines) + "\n"


# --- finding officials in text ---------------------------------------------------------------


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int
    kind: str  # "word", "abbr" (U.S., Gen., J.) or "other"
    low: str
    poss: bool
    cap: bool
    parts: tuple[str, ...]  # hyphen-separated parts of ``low``, spelling variants folded


_HYPHENS = re.compile(r"[-‐‑]")
_TOKEN = re.compile(
    r"(?P<abbr>(?:[^\W\d_]\.){2,})|(?P<word>[^\W\d_]+(?:[-‐‑'’][^\W\d_]+)*)|(?P<other>\S)"
)


def _tokens(text: str, start: int, end: int) -> list[_Tok]:
    out: list[_Tok] = []
    pos = start
    while True:
        m = _TOKEN.search(text, pos, end)
        if m is None:
            return out
        s, e, word = m.start(), m.end(), m.group()
        kind = m.lastgroup or "other"
        poss = False
        if kind == "word":
            if len(word) > 2 and word[-2] in "'’" and word[-1] in "sS":
                word, e, poss = word[:-2], e - 2, True
            elif (
                e < end
                and text[e] == "."
                and ((len(word) == 1 and word.isupper()) or word.casefold() in _ABBREVIATED)
            ):
                word, e, kind = word + ".", e + 1, "abbr"
        low = word.casefold().rstrip(".")
        parts = tuple(_SPELLING.get(p, p) for p in _HYPHENS.split(low))
        out.append(_Tok(word, s, e, kind, low, poss, word[:1].isupper(), parts))
        pos = max(m.end(), e)


def _is_acronym(tok: _Tok) -> bool:
    compact = tok.text.replace(".", "")
    return len(compact) > 1 and compact.isupper()


def _is_head(tok: _Tok) -> bool:
    return tok.kind != "other" and any(p in _HEADS for p in tok.parts)


def _is_titleish(tok: _Tok) -> bool:
    return tok.kind != "other" and any(p in _TITLEISH for p in tok.parts)


def _is_courtesy(tok: _Tok) -> bool:
    return tok.cap and (tok.low in _HONORIFICS or tok.low in _RANKS)


def _is_not_current(tok: _Tok) -> bool:
    return any(p in _NOT_CURRENT for p in tok.parts)


def _is_name_word(tok: _Tok) -> bool:
    return (
        tok.kind == "word"
        and tok.cap
        and not _is_acronym(tok)
        and tok.low not in _NON_NAME
        and not _is_titleish(tok)
        and not _is_courtesy(tok)
        and not _is_not_current(tok)
    )


def _is_name_inner(tok: _Tok) -> bool:
    initial = tok.kind == "abbr" and len(tok.text) == 2 and tok.text[0].isupper()
    particle = tok.kind == "word" and tok.text.islower() and tok.low in _PARTICLES
    return initial or particle or _is_name_word(tok)


def _is_title_token(toks: Sequence[_Tok], i: int) -> bool:
    tok = toks[i]
    if tok.kind == "other":
        return False
    if tok.low == "and":
        return i > 0 and _is_head(toks[i - 1])
    if tok.low in _CONNECTORS or _is_titleish(tok):
        return True
    if _is_acronym(tok):
        return True
    return tok.cap and tok.low not in _NON_NAME and not _is_not_current(tok)


@dataclass(frozen=True)
class _Cue:
    cue: str | None
    title: tuple[int, int] | None = None  # token span of the title


def _names(toks: Sequence[_Tok]) -> Iterator[tuple[int, int]]:
    """Token spans (first, last) of the personal names of a line."""
    i, n = 0, len(toks)
    while i < n:
        if not _is_name_word(toks[i]):
            i += 1
            continue
        j = i
        while not toks[j].poss and j + 1 < n and _is_name_inner(toks[j + 1]):
            j += 1
        while j > i and not _is_name_word(toks[j]):
            j -= 1
        yield i, j
        i = j + 1


def _left_cue(toks: Sequence[_Tok], first: int) -> tuple[_Cue, bool]:
    """The cue before a name; and whether the title there is a past or future one."""
    k = first - 1
    m = k
    while m >= 0 and _is_courtesy(toks[m]):
        m -= 1
    end = m
    if m >= 0 and m < k and _is_head(toks[m]) and toks[m + 1].kind == "word":
        # "Secretary General", "Attorney General": a full-word rank after a title head
        while end + 1 <= k and toks[end + 1].kind == "word" and _is_courtesy(toks[end + 1]):
            end += 1
    courtesy = end < k
    comma = not courtesy and end >= 0 and toks[end].text == ","
    if comma:
        end -= 1
    if end >= 0 and toks[end].low in _CONNECTORS:  # "the spokeswoman for the United ..."
        return _Cue("honorific" if courtesy else None), False
    start = end
    while start >= 0 and _is_title_token(toks, start):
        start -= 1
    start += 1
    while start <= end and toks[start].low in _TRIM:
        start += 1
    span = toks[start : end + 1]
    not_current = any(_is_not_current(t) for t in span) or (
        start > 0 and _is_not_current(toks[start - 1])
    )
    if span and any(_is_head(t) for t in span):
        return _Cue("appositive" if comma else "title", (start, end)), not_current
    if courtesy:
        return _Cue("honorific"), False
    if end >= 0 and toks[end].low in _ROLES:
        return _Cue("role"), False
    return _Cue(None), False


def _right_cue(toks: Sequence[_Tok], last: int) -> _Cue:
    """A title in apposition after a name: "Farhan Haq, the deputy spokesman, said"."""
    n = len(toks)
    if last + 1 >= n or toks[last + 1].text != ",":
        return _Cue(None)
    start = last + 2
    while start < n and toks[start].low in ("the", "a", "an", "his", "her", "its", "their"):
        start += 1
    end = start
    while end < n and _is_title_token(toks, end):
        end += 1
    if end == start or (end < n and toks[end].text not in {",", ".", ";", ":", ")"}):
        return _Cue(None)
    if end + 1 < n and toks[end].text == "," and _is_name_word(toks[end + 1]):
        return _Cue(None)  # "..., the department's spokesman, Ned Price": Price's title
    while end > start and toks[end - 1].low in _TRIM:
        end -= 1
    span = toks[start:end]
    if not span or not any(_is_head(t) for t in span) or toks[start].low in _CONNECTORS:
        return _Cue(None)
    return _Cue("appositive", (start, end - 1))


_LINE = re.compile(r"[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
_MENTION_COLUMNS = ["doc_id", "date", "start", "end", "name", "title", "cue"]


def find_mentions(documents: pd.DataFrame) -> pd.DataFrame:
    """Officials named in ``documents`` (``text``; ``doc_id`` and ``date`` when present).

    Returns the mentions table described in the module docstring: every name found with a
    cue, and every other mention of a full name or last name found with one.
    """
    if "text" not in documents.columns:
        raise SchemaError("find_mentions needs a 'text' column")
    doc_ids = (
        documents["doc_id"].astype(str).tolist()
        if "doc_id" in documents.columns
        else [str(i) for i in documents.index]
    )
    dates = (
        pd.to_datetime(documents["date"], errors="coerce").tolist()
        if "date" in documents.columns
        else [pd.NaT] * len(documents)
    )
    cued: list[dict[str, Any]] = []
    uncued: list[dict[str, Any]] = []
    for doc_id, date, text in zip(doc_ids, dates, documents["text"].tolist(), strict=True):
        if not isinstance(text, str):
            continue
        for line in _LINE.finditer(text):
            toks = _tokens(text, line.start(), line.end())
            for first, last in _names(toks):
                row: dict[str, Any] = {
                    "doc_id": doc_id,
                    "date": date,
                    "start": toks[first].start,
                    "end": toks[last].end,
                    "name": text[toks[first].start : toks[last].end],
                    "title": None,
                    "cue": None,
                }
                cue, not_current = _left_cue(toks, first)
                if cue.cue is None:
                    cue = _right_cue(toks, last)
                if first == last and cue.cue not in ("title", "honorific"):
                    cue = _Cue(None)
                if cue.title is not None and not not_current:
                    a, b = cue.title
                    row["title"] = " ".join(text[toks[a].start : toks[b].end].split())
                row["cue"] = cue.cue
                (cued if cue.cue is not None else uncued).append(row)
    full = {_name_key(_words(r["name"])) for r in cued}
    lasts = {last for r in cued for last in _last_names(r["name"])}
    for row in uncued:
        key = _name_key(_words(row["name"]))
        if key in full or (" " not in key and key in lasts):
            cued.append({**row, "cue": "name"})
    frame = pd.DataFrame(cued, columns=_MENTION_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)


def suggest_roster(documents: pd.DataFrame, *, name_similarity: float = NAME_SIMILARITY) -> Roster:
    """A roster proposed from the officials named in ``documents``, for the user to edit.

    ``documents`` needs a ``text`` column (``doc_id`` and ``date`` are used when present).
    """
    mentions = find_mentions(documents)
    dates = pd.to_datetime(documents["date"], errors="coerce") if "date" in documents else None
    span = ""
    if dates is not None and dates.notna().any():
        span = f" dated {dates.min().date()} to {dates.max().date()}"
    note = (
        f"Roster suggested by phrasedrift from {len(documents)} document(s){span}.\n"
        "Every entry is read from the text: check names, merge or split people, fix titles.\n"
        "The from/to dates of a title are those of the first and last document that shows\n"
        "it, not the term of office: replace them with the real dates, or remove them."
    )
    return Roster.from_mentions(mentions, name_similarity=name_similarity, note=note)


_TITLE_ABBREVIATIONS = {
    "sen": "Senator", "rep": "Representative", "gov": "Governor", "amb": "Ambassador",
    "sec": "Secretary", "pres": "President",
}  # fmt: skip


def _title_case(title: str) -> str:
    """ "State Department spokesperson" -> "State Department Spokesperson"; "Sen." -> "Senator"."""
    small = {"of", "for", "the", "to", "at", "on", "in", "and", "a", "an"}
    words = [
        _TITLE_ABBREVIATIONS.get(w.casefold().rstrip("."), w) if w.endswith(".") else w
        for w in title.split()
    ]
    return " ".join(
        w[:1].upper() + w[1:] if w[:1].islower() and (i == 0 or w not in small) else w
        for i, w in enumerate(words)
    )


class _UnionFind:
    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {item: item for item in items}

    def find(self, item: str) -> str:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _people_from_mentions(mentions: pd.DataFrame, similarity: float) -> tuple[Person, ...]:
    missing = {"name", "title", "date"} - set(mentions.columns)
    if missing:
        raise SchemaError(f"a mentions table needs the columns {sorted(missing)}")
    rows = [{str(k): v for k, v in r.items()} for r in mentions.to_dict("records")]
    for row in rows:
        row["key"] = _name_key(_words(str(row["name"])))
    multi = [r for r in rows if " " in r["key"]]
    keys = Counter(r["key"] for r in multi)
    groups = _UnionFind(keys)
    blocks: defaultdict[str, list[str]] = defaultdict(list)
    for key in keys:
        words = key.split()
        blocks["first " + words[0]].append(key)
        blocks["last " + words[-1]].append(key)
    for block in blocks.values():
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if fuzz.ratio(a, b) >= 100 * similarity:
                    groups.union(a, b)
    clusters: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in multi:
        clusters[groups.find(row["key"])].append(row)
    by_last: defaultdict[str, set[str]] = defaultdict(set)
    for cluster, members in clusters.items():
        for row in members:
            for last in _last_names(str(row["name"])):
                by_last[last].add(cluster)
    for row in rows:
        if " " in row["key"] or not row["key"]:
            continue
        owners = by_last.get(row["key"], set())
        if len(owners) == 1:
            clusters[next(iter(owners))].append(row)
        elif not owners and row["cue"] in ("title", "honorific"):
            clusters["\0" + row["key"]].append(row)
    ranked = sorted(clusters.values(), key=lambda members: -len(members))
    return _unique_aliases([_person_from_rows(members) for members in ranked])


def _person_from_rows(rows: list[dict[str, Any]]) -> Person:
    multi = [r for r in rows if " " in r["key"]]
    if multi:
        key_counts = Counter(r["key"] for r in multi)
        top = max(key_counts, key=lambda k: key_counts[k])
        surfaces = Counter(str(r["name"]) for r in multi if r["key"] == top)
        name = min(surfaces, key=lambda s: (len(s.split()), -surfaces[s]))
    else:
        name = Counter(str(r["name"]) for r in rows).most_common(1)[0][0]
    aliases: dict[tuple[str, ...], str] = {_words(name): name}
    for surface, _ in Counter(str(r["name"]) for r in multi).most_common():
        aliases.setdefault(_words(surface), surface)
    singles = Counter(str(r["name"]) for r in rows if " " not in r["key"])
    for surface, _ in singles.most_common(1):
        aliases.setdefault(_words(surface), surface)
    docs = {r.get("doc_id") for r in rows}
    return Person(
        name=name,
        aliases=tuple(a for a in aliases.values() if a != name),
        titles=_titles_from_rows(rows),
        note=f"{len(rows)} mention(s) in {len(docs)} document(s)",
    )


def _titles_from_rows(rows: list[dict[str, Any]]) -> tuple[Title, ...]:
    seen: defaultdict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if isinstance(row["title"], str) and row["title"].strip():
            seen[_title_words(_words(row["title"]))].append(row)
    seen.pop((), None)
    merged: dict[tuple[str, ...], list[dict[str, Any]]] = {k: list(v) for k, v in seen.items()}
    surfaces_of: dict[tuple[str, ...], list[dict[str, Any]]] = {k: list(v) for k, v in seen.items()}
    # "US Secretary of State" is "Secretary of State" with a qualifier: count it there
    for key in sorted(seen, key=len, reverse=True):
        shorter = [
            other
            for other in merged
            if len(other) < len(key)
            and key[-len(other) :] == other
            and not _TITLEISH.intersection(key[: -len(other)])
        ]
        if shorter:
            target = max(shorter, key=len)
            merged[target] += merged.pop(key)
            surfaces_of.pop(key, None)

    # "Defense Secretary" is "Secretary of Defense": the same content words
    def content(key: tuple[str, ...]) -> frozenset[str]:
        return frozenset(key) - _CONNECTORS

    by_content: defaultdict[frozenset[str], list[tuple[str, ...]]] = defaultdict(list)
    for key in sorted(merged, key=lambda k: -len(merged[k])):
        by_content[content(key)].append(key)
    for keys in by_content.values():
        for key in keys[1:]:
            merged[keys[0]] += merged.pop(key)
            surfaces_of[keys[0]] += surfaces_of.pop(key, [])
    # "Secretary" is a less specific "Secretary of State": drop it
    for key in sorted(merged, key=len):
        if any(content(key) < content(other) for other in merged):
            merged.pop(key)
    titles = []
    for key, members in merged.items():
        surfaces = Counter(_title_case(str(r["title"])) for r in surfaces_of[key])
        dates = [d for d in (r["date"] for r in members) if not pd.isna(d)]
        docs = {r.get("doc_id") for r in members}
        titles.append(
            Title(
                title=surfaces.most_common(1)[0][0],
                start=min(dates).date() if dates else None,
                end=max(dates).date() if dates else None,
                note=f"seen in {len(docs)} document(s)",
            )
        )
    titles.sort(key=lambda t: (t.start or dt.date.max, t.title))
    return tuple(titles)


def _unique_aliases(people: list[Person]) -> tuple[Person, ...]:
    """Drop any alias that another person also has (the roster would refuse it)."""
    owners: defaultdict[str, set[int]] = defaultdict(set)
    for i, person in enumerate(people):
        for text in (person.name, *person.aliases):
            owners[_name_key(_words(text))].add(i)
    out = []
    for i, person in enumerate(people):
        kept = tuple(a for a in person.aliases if owners[_name_key(_words(a))] == {i})
        out.append(Person(person.name, kept, person.organisation, person.titles, note=person.note))
    return tuple(out)
