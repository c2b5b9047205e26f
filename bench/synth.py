"""A synthetic news corpus with known formula families, for benchmarks and quality tests.

    from synth import generate                     # bench/ on sys.path
    synth = generate(300, seed=0)
    synth.documents    # doc_id, text, date, source, title, principal (phrasedrift.load_corpus)
    synth.gold         # doc, doc_id, family, variant, nth, start, end, principal, speaker, mode

    .venv/bin/python bench/synth.py 1000 --seed 0 --out corpora/synth-1k

The CLI writes one ``<doc_id>.txt`` per document (YAML front matter: source, date, principal,
title) and ``gold.csv`` into the ``--out`` folder (``--gold PATH`` puts the gold elsewhere).
``phrasedrift.load_corpus`` skips ``gold.csv`` as a manifest without a text column, with a
``CorpusWarning``; read it with ``phrasedrift.evaluate.read_gold``.

What is generated
-----------------
*A world*: six invented countries with capitals and towns, 10-25 named officials (24 by
default: titles, countries, each government's spokesperson), 12 outlets (two wire services; each outlet has its
own quotation-mark style, byline, dateline and boilerplate habits).

*Formula families* (:data:`FAMILIES`, 41): templates of generic political rhetoric, each with a
stable core of 2-6 content words ("support ... security", "restore ... calm", "release ...
hostages"). No two families share a two-content-word core, but they share vocabulary
(security, calm, humanitarian, solution, conflict, civilian, ...). Each occurrence is a
*variant*: a modifier swap or deletion ("ironclad"/"unwavering"/none), an alternative form
(reordering "calm and restraint", insertion "the worsening humanitarian situation", a
hyphenless "two state solution"), an inflection ("restore"/"restoring"/"restored"), an
extension appended to it ("and its people", "in the coming days"), a modifier in scare quotes
("\u201cironclad\u201d support"), or, in a minority of occurrences, a misspelling (one character
edited in one word). Which modifier an official uses depends on the official (signature
variants) and drifts over the two years of the corpus.

*Documents*: 3-12 paragraphs (about ``words_per_doc`` words, 0.6-1.4 times) of background
news sentences composed from clause templates with many slots (casualties, talks, aid convoys,
markets, parliament, analysts, weather...), whose vocabulary overlaps the formulas' but which
never reproduces a family's core (:func:`background_sample` lets a test check that). 1-6
formula occurrences per document (Zipf-distributed over families) sit in attribution frames:
reported ("Okafor reaffirmed her steadfast support for Valmora's security during a call with
..."), quoted ("\u201cWe will work to restore a sustainable calm,\u201d Okafor said."), relayed
by a spokesperson ("According to a statement from spokesperson X, Y ..."), narration ("The
Arvenian government has repeatedly ..."), sometimes two formulas in one sentence. About one
wire story in two is reprinted by one to three other outlets (near-duplicates: their own
quotation marks, byline and boilerplate, the last paragraphs sometimes cut).

Gold
----
One row per inserted formula occurrence: ``doc`` and ``doc_id`` (the document id), ``family``,
``variant`` (the exact inserted text, ``text[start:end]``), ``nth`` (which occurrence of that
text in the document, counted case-insensitively with curly quotes folded, as
:func:`phrasedrift.evaluate.locate` counts), ``start``/``end`` (offsets into ``text``, the
document body without front matter), ``principal`` (whose position it states), ``speaker``
(who uttered or published it: the principal, a spokesperson, or empty for narration),
``mode`` (quote | reported | narration), and ``kinds`` (the variation applied,
``+``-joined: modifier, form, inflection, extension, scare, typo, reorder (of a list); empty
for the canonical form).

Everything is drawn from one ``random.Random(seed)``: the same arguments give byte-identical
output. Generation is sentence-level (no per-word work): 100k documents (60M words, 380 MB of
text) take about 30 s on one core.
"""

# ruff: noqa: E501  (the template tables read best one template a line)
from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = ["FAMILIES", "Family", "Synth", "background_sample", "generate", "main"]

# --- formula families ------------------------------------------------------------------------

#: Quotation marks while building text; rendered per outlet (straight or curly).
OPEN, CLOSE = "\x01", "\x02"


def _straight(text: str) -> str:
    return text.replace(OPEN, '"').replace(CLOSE, '"')


def _curly(text: str) -> str:
    return text.replace(OPEN, "\u201c").replace(CLOSE, "\u201d").replace("'", "\u2019")


def _fold(text: str) -> str:
    """Lowercase with curly quotes folded, as :func:`phrasedrift.evaluate.locate` compares."""
    return (
        text.lower()
        .replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
    )


BASE, ING, PAST = 0, 1, 2


@dataclass(frozen=True)
class Family:
    """A formula family.

    forms: (template, weight); the first is canonical. Slots: ``{M}`` modifier, ``{V}`` the
        verb inflected as the lead requires, ``{C}`` the country the statement is about,
        ``{K}`` a third country, ``{R}`` a place, ``{P}`` two peoples, ``{L}`` a list of
        values, ``{S}`` a sea.
    mods: modifiers for ``{M}`` (``""`` is a deletion); the first is the canonical one.
    ext: extensions sometimes appended to the variant.
    verb: (base, -ing, past) for ``{V}``.
    kind: which leads and frames fit (see :data:`LEADS`), unless ``leads3``/``leads1`` are given.
    """

    key: str
    kind: str
    forms: tuple[tuple[str, int], ...]
    mods: tuple[str, ...] = ("",)
    ext: tuple[str, ...] = ()
    verb: tuple[str, str, str] | None = None
    leads3: tuple[tuple[str, int], ...] = ()
    leads1: tuple[tuple[str, int], ...] = ()


def _f(
    key: str,
    kind: str,
    *forms: tuple[str, int],
    mods: tuple[str, ...] = ("",),
    ext: tuple[str, ...] = (),
    verb: tuple[str, str, str] | None = None,
    leads3: tuple[str, ...] = (),
    leads1: tuple[str, ...] = (),
) -> Family:
    return Family(
        key,
        kind,
        forms,
        mods,
        ext,
        verb,
        tuple((lead, BASE) for lead in leads3),
        tuple((lead, BASE) for lead in leads1),
    )


#: Leads (3rd person, past participle-compatible) and first-person quote openers by kind.
#: A lead is (text, verb form); ``{poss}`` is the subject's possessive, ``{C}`` the country.
LEADS: dict[str, tuple[tuple[tuple[str, int], ...], tuple[tuple[str, int], ...]]] = {
    "commit": (
        tuple(
            (x, BASE)
            for x in (
                "reaffirmed {poss}",
                "reiterated {poss}",
                "underscored {poss}",
                "stressed {poss}",
                "restated {poss}",
                "pledged {poss}",
            )
        ),
        tuple(
            (x, BASE)
            for x in (
                "We reaffirm our",
                "I reiterated our",
                "We stand by our",
                "I want to restate our",
                "Let me be clear about our",
            )
        ),
    ),
    "concern": (
        tuple(
            (x, BASE)
            for x in ("expressed {poss}", "voiced {poss}", "conveyed {poss}", "registered {poss}")
        ),
        tuple(
            (x, BASE)
            for x in ("We have", "I expressed my", "We continue to have", "I want to convey my")
        ),
    ),
    "inf": (
        (
            ("stressed the need to", BASE),
            ("said the priority was to", BASE),
            ("pledged to", BASE),
            ("underscored the importance of", ING),
            ("discussed efforts to", BASE),
            ("insisted on", ING),
            ("said {poss} government had", PAST),
        ),
        (
            ("We will work to", BASE),
            ("We must", BASE),
            ("We are focused on", ING),
            ("Our goal is to", BASE),
            ("We will continue", ING),
            ("We have", PAST),
        ),
    ),
    "call": (
        tuple(
            (x, BASE) for x in ("called for", "urged", "demanded", "pressed for", "appealed for")
        ),
        tuple((x, BASE) for x in ("We call for", "We are calling for", "We urge", "We need")),
    ),
    "clause": (
        tuple(
            (x, BASE)
            for x in ("said", "warned that", "insisted that", "made clear that", "told reporters")
        ),
        (("", BASE),),
    ),
    "right": (
        tuple(
            (x, BASE)
            for x in ("affirmed {C}'s", "recognized {C}'s", "backed {C}'s", "defended {C}'s")
        ),
        tuple((x, BASE) for x in ("We recognize {C}'s", "{C} has the", "We respect {C}'s")),
    ),
}

FAMILIES: tuple[Family, ...] = (
    _f(
        "support_security",
        "commit",
        ("{M} support for {C}'s security", 8),
        ("{M} support for the security of {C}", 2),
        mods=("ironclad", "unwavering", "steadfast", "strong", "enduring", "firm", ""),
        ext=(" and its people", " against all threats", " and its people and territory"),
    ),
    _f(
        "two_state",
        "commit",
        ("{M} commitment to a two-state solution", 6),
        ("{M} commitment to a negotiated two-state solution", 2),
        ("{M} commitment to a two state solution", 1),
        ("{M} commitment to the goal of a two-state solution", 1),
        mods=("firm", "longstanding", "unwavering", ""),
        ext=(" with secure and recognized borders", " in which both peoples live in dignity"),
    ),
    _f(
        "sovereignty",
        "commit",
        ("{M} respect for {K}'s sovereignty and territorial integrity", 6),
        ("{M} respect for the sovereignty and territorial integrity of {K}", 2),
        ("{M} respect for {K}'s territorial integrity and sovereignty", 1),
        mods=("full", "", "unconditional"),
        ext=(" within its internationally recognized borders",),
    ),
    _f(
        "solidarity",
        "commit",
        ("{M} solidarity with the people of {C}", 6),
        ("{M} solidarity with the {C} people", 1),
        mods=("full", "deep", "", "unwavering"),
        ext=(" in this difficult time", " in the face of terror"),
    ),
    _f(
        "respect_law",
        "commit",
        ("{M} respect for international law", 6),
        ("{M} respect for international humanitarian law", 3),
        mods=("full", "strict", ""),
        ext=(" including the laws of armed conflict",),
    ),
    _f(
        "right_defend",
        "right",
        ("{M} right to defend itself", 6),
        ("{M} right to defend its people", 2),
        ("{M} right to defend itself and its citizens", 1),
        mods=("", "legitimate", "inherent", "sovereign"),
        ext=(" against terrorist attacks", " from indiscriminate attacks"),
    ),
    _f(
        "humanitarian_concern",
        "concern",
        ("{M} concern about the humanitarian situation in {R}", 5),
        ("{M} concern over the humanitarian situation in {R}", 3),
        ("{M} concern about the humanitarian situation", 2),
        ("{M} concern about the worsening humanitarian situation in {R}", 1),
        mods=("deep", "grave", "serious", "growing", ""),
    ),
    _f(
        "condolences",
        "concern",
        ("{M} condolences for the loss of life", 5),
        ("{M} condolences for the loss of innocent life", 2),
        ("{M} condolences over the loss of life", 2),
        mods=("deepest", "sincere", "heartfelt", ""),
        ext=(" on both sides", " in {R}"),
        leads3=("expressed {poss}", "offered {poss}", "conveyed {poss}"),
        leads1=("We extend our", "I offer my", "I want to express my"),
    ),
    _f(
        "alarm_violence",
        "concern",
        ("{M} alarm at the escalating violence", 5),
        ("{M} alarm over the escalating violence", 3),
        ("{M} alarm at the escalating cycle of violence", 1),
        mods=("growing", "deep", "", ""),
        ext=(" in {R}", " against civilians"),
    ),
    _f(
        "restore_calm",
        "inf",
        ("{V} {M} calm", 6),
        ("{V} {M} calm and order", 1),
        mods=("a sustainable", "a lasting", "a durable", "", "a sustained"),
        ext=(" in the coming days", " to the region", " as soon as possible"),
        verb=("restore", "restoring", "restored"),
    ),
    _f(
        "deescalate",
        "inf",
        ("{V} {M} tensions", 6),
        ("{V} the {M} tensions", 1),
        ("{V} {M} tensions", 1),
        mods=("", "", "rising", "regional"),
        ext=(" along the border", " in the region"),
        verb=("de-escalate", "de-escalating", "de-escalated"),
    ),
    _f(
        "protect_civilians",
        "inf",
        ("{V} {M} civilian lives", 5),
        ("{V} {M} civilians", 2),
        mods=("innocent", "", ""),
        ext=(" on both sides",),
        verb=("protect", "protecting", "protected"),
    ),
    _f(
        "close_contact",
        "inf",
        ("{V} in close contact", 4),
        ("{V} in close contact with {C}", 3),
        ("{V} in very close contact", 1),
        ext=(" with regional partners", " in the days ahead"),
        verb=("stay", "staying", "stayed"),
    ),
    _f(
        "root_causes",
        "inf",
        ("{V} the root causes of the conflict", 5),
        ("{V} the root causes of this conflict", 2),
        ("{V} the underlying root causes of the conflict", 1),
        verb=("address", "addressing", "addressed"),
    ),
    _f(
        "resume_dialogue",
        "inf",
        ("{V} {M} dialogue", 5),
        ("{V} {M} dialogue between the parties", 2),
        mods=("direct", "meaningful", "", "political"),
        ext=(" without preconditions",),
        verb=("resume", "resuming", "resumed"),
    ),
    _f(
        "prevent_spread",
        "inf",
        ("{V} the conflict from spreading", 5),
        ("{V} the conflict from spreading further", 2),
        ("{V} this conflict from spreading", 1),
        ext=(" across the region",),
        verb=("prevent", "preventing", "prevented"),
    ),
    _f(
        "hold_accountable",
        "inf",
        ("{V} those responsible accountable", 5),
        ("{V} all those responsible accountable", 2),
        ("{V} the perpetrators accountable", 1),
        verb=("hold", "holding", "held"),
    ),
    _f(
        "rule_of_law",
        "inf",
        ("{V} the rule of law", 6),
        ext=(" and democratic norms", " at all times"),
        verb=("uphold", "upholding", "upheld"),
    ),
    _f(
        "path_forward",
        "inf",
        ("{V} a {M} path forward", 5),
        mods=("", "", "credible", "political"),
        ext=(" toward peace", " for both peoples"),
        verb=("find", "finding", "found"),
    ),
    _f(
        "reconstruction",
        "inf",
        ("{V} the {M} reconstruction of {R}", 5),
        mods=("long-term", "", ""),
        verb=("fund", "funding", "funded"),
    ),
    _f(
        "shoulder",
        "inf",
        ("{V} shoulder to shoulder with {C}", 5),
        ("{V} firmly shoulder to shoulder with {C}", 1),
        verb=("stand", "standing", "stood"),
    ),
    _f(
        "release_hostages",
        "call",
        ("the {M} release of all hostages", 5),
        ("the {M} release of all the hostages", 1),
        ("the {M} release of the hostages held in {R}", 1),
        mods=("immediate", "immediate and unconditional", "safe", ""),
    ),
    _f(
        "humanitarian_pause",
        "call",
        ("{M} humanitarian pauses", 4),
        ("a {M} humanitarian pause", 3),
        ("{M} humanitarian pauses in the fighting", 2),
        mods=("temporary", "", "", "extended"),
    ),
    _f(
        "humanitarian_access",
        "call",
        ("{M} humanitarian access to {R}", 4),
        ("{M} humanitarian access", 4),
        mods=("safe and unimpeded", "unimpeded", "full", "sustained", ""),
    ),
    _f(
        "diplomatic_solution",
        "call",
        ("a {M} diplomatic solution to the crisis", 5),
        ("a {M} diplomatic solution to this crisis", 2),
        ("a {M} diplomatic resolution to the crisis", 1),
        mods=("durable", "negotiated", "", ""),
    ),
    _f(
        "lasting_peace",
        "call",
        ("a {M} lasting peace", 6),
        mods=("just and", "comprehensive and", "", ""),
        ext=(" in the region", " for future generations"),
    ),
    _f(
        "restraint_calm",
        "call",
        ("{M} restraint and calm", 5),
        ("calm and {M} restraint", 2),
        ("{M} restraint and a return to calm", 1),
        mods=("maximum", "", "", "utmost"),
    ),
    _f(
        "safe_passage",
        "call",
        ("{M} safe passage for civilians", 4),
        ("{M} safe passage for civilians out of {R}", 1),
        mods=("", "guaranteed"),
        ext=(" fleeing the fighting",),
    ),
    _f(
        "investigation",
        "call",
        ("a {M} independent investigation into the strike", 3),
        ("a {M} independent investigation into the attack", 3),
        ("a {M} independent investigation into the incident", 2),
        mods=("thorough", "swift", "transparent", ""),
    ),
    _f(
        "options_table",
        "clause",
        ("all options remain on the table", 5),
        ("all options are on the table", 3),
        ("all options remain firmly on the table", 1),
    ),
    _f(
        "violence_stop",
        "clause",
        ("the violence must stop", 4),
        ("the violence has to stop", 2),
        ext=(" now", " immediately"),
    ),
    _f(
        "ceasefire_hold",
        "clause",
        ("the ceasefire must hold", 4),
        ("the ceasefire has to hold", 2),
        ext=(" for the sake of civilians",),
    ),
    _f(
        "window_diplomacy",
        "clause",
        ("the window for diplomacy is {M}closing", 5),
        ("the window for diplomacy is narrowing", 1),
        mods=("", "rapidly ", "fast "),
    ),
    _f(
        "no_military_solution",
        "clause",
        ("there is no military solution to this conflict", 4),
        ("there can be no military solution to this conflict", 2),
        ("there is no purely military solution to the conflict", 1),
    ),
    _f(
        "unbreakable_bond",
        "bond",
        ("the {M} bond between our two nations", 4),
        ("the {M} bond between the two nations", 3),
        mods=("unbreakable", "unshakable", "special", ""),
        leads3=("celebrated", "hailed", "pointed to"),
        leads1=("This visit reflects", "Nothing will weaken"),
    ),
    _f(
        "shared_values",
        "bond",
        ("shared democratic values", 5),
        ("shared democratic values and interests", 2),
        ("shared values of democracy", 1),
        leads3=("highlighted their", "pointed to the two countries'", "cited"),
        leads1=("We are bound by", "This partnership rests on our"),
    ),
    _f(
        "equal_measures",
        "bond",
        ("equal measures of {L}", 5),
        leads3=("said {P} deserve", "stressed that {P} deserve", "insisted that {P} deserve"),
        leads1=("{P} deserve", "Both peoples deserve"),
    ),
    _f(
        "regional_stability",
        "bond",
        ("{M} regional stability", 4),
        ("{M} stability in the region", 3),
        mods=("", "broader", "long-term"),
        leads3=("discussed", "underlined the need for", "stressed the importance of"),
        leads1=("We all benefit from", "This is about"),
    ),
    _f(
        "security_cooperation",
        "bond",
        ("{M} security cooperation", 5),
        ("{M} cooperation on security", 2),
        mods=("close", "deepening", "", ""),
        leads3=("discussed", "praised", "reviewed"),
        leads1=("We value our", "We will deepen our"),
    ),
    _f(
        "economic_opportunity",
        "bond",
        ("{M} economic opportunity for {P}", 4),
        ("{M} economic opportunity", 3),
        mods=("greater", "", "new"),
        leads3=("discussed", "called for", "spoke of the need for"),
        leads1=("We want to see", "We are working toward"),
    ),
    _f(
        "freedom_navigation",
        "bond",
        ("freedom of navigation in {S}", 4),
        ("freedom of navigation", 4),
        leads3=("defended", "stressed the importance of", "reaffirmed the principle of"),
        leads1=("We will defend", "We are committed to"),
    ),
)

_LIST = ("freedom", "security", "dignity", "prosperity")


# --- the world -------------------------------------------------------------------------------

COUNTRIES = (
    # name, adjective / people, capital, towns
    ("Arvenia", "Arvenian", "Calder", ("Westbrook", "Port Amsel", "Harlan")),
    ("Valmora", "Valmoran", "Istrel", ("Dunmar", "Tel Varan", "Ashkel", "Nevik")),
    ("Korvath", "Korvathi", "Brask", ("Saren", "Qadir", "El Mora", "Tarsin")),
    ("Lusania", "Lusanian", "Ondra", ("Mirra", "Sabil")),
    ("Merevia", "Merevian", "Solen", ("Altby", "Grense")),
    ("Tessmark", "Tessmarki", "Hollin", ("Rovno", "Kell")),
)
REGIONS = ("the Saren Strip", "the northern border area", "Dunmar", "Tel Varan", "Qadir")
SEAS = ("the Saren Sea", "the Gulf of Amsel", "international waters")
PEOPLES = ("Valmorans and Korvathis", "Korvathis and Valmorans", "both peoples")

#: (country index, title, is spokesperson, weight as a formula principal)
TITLES = (
    (0, "President", False, 6),
    (0, "Secretary of State", False, 10),
    (0, "Defense Secretary", False, 6),
    (0, "National Security Adviser", False, 6),
    (0, "Ambassador to the Council", False, 3),
    (0, "State Department spokesperson", True, 4),
    (0, "Pentagon press secretary Gen.", True, 2),
    (1, "Prime Minister", False, 3),
    (1, "Foreign Minister", False, 3),
    (1, "Defense Minister", False, 2),
    (1, "government spokesperson", True, 1),
    (2, "Foreign Minister", False, 1),
    (2, "President", False, 1),
    (2, "Foreign Ministry spokesperson", True, 1),
    (3, "Foreign Minister", False, 3),
    (3, "Prime Minister", False, 2),
    (4, "Foreign Minister", False, 4),
    (4, "Chancellor", False, 2),
    (4, "Foreign Office spokesperson", True, 1),
    (5, "Foreign Minister", False, 2),
    (5, "Development Minister", False, 1),
    (-1, "Secretary-General", False, 4),
    (-1, "Special Envoy", False, 3),
    (-1, "relief chief", False, 2),
    (-1, "Council spokesperson", True, 1),
)
FIRST = (
    "Helena", "Daniel", "Priya", "Marcus", "Lena", "Omar", "Ingrid", "Tomas", "Amara", "Jonas",
    "Maya", "Karim", "Sofia", "Lucas", "Nadia", "Viktor", "Elena", "Samuel", "Rania", "Felix",
    "Aisha", "Henrik", "Clara", "Yusuf", "Irene", "Mateo", "Leila", "Anton", "Greta", "Idris",
)  # fmt: skip
LAST = (
    "Marsh", "Okafor", "Lindqvist", "Kaine", "Hartwell", "Delaney", "Varga", "Sorel", "Brandt",
    "Haddad", "Nassar", "Ferreira", "Okonjo", "Castellan", "Reyes", "Moreau", "Albrecht",
    "Tanaka", "Osei", "Kowalski", "Mbeki", "Petrov", "Halloran", "Sandoval", "Ekström", "Baptiste",
    "Novak", "Quayle", "Renner", "Whitlock", "Adeyemi", "Larsen",
)  # fmt: skip

#: (name, is a wire service, curly quotes, byline, dateline, boilerplate)
OUTLETS = (
    ("Meridian Wire", True, False, False, True, False),
    ("Continental Press Agency", True, True, False, True, False),
    ("The Calder Tribune", False, True, True, False, True),
    ("Istrel Daily", False, False, True, False, True),
    ("The Evening Courier", False, True, False, False, True),
    ("Northern Ledger", False, False, True, True, False),
    ("Global Affairs Review", False, True, True, False, False),
    ("The Harbor Times", False, False, False, False, True),
    ("Brask Morning Post", False, True, False, True, True),
    ("Ondra Observer", False, False, True, False, False),
    ("The Standard Dispatch", False, True, False, False, True),
    ("Solen Herald", False, False, False, True, True),
)
OUTLET_WEIGHTS = (14, 10, 9, 8, 7, 7, 6, 6, 5, 5, 4, 4)


@dataclass(frozen=True)
class Official:
    name: str
    last: str
    title: str
    country: int  # -1: the Council of Nations
    spokesperson: bool
    poss: str  # his / her


@dataclass(frozen=True)
class _World:
    officials: tuple[Official, ...]
    principals: tuple[int, ...]  # indices of officials who state positions
    principal_cum: tuple[float, ...]
    spokes: dict[int, int]  # country -> spokesperson official index
    favourite: dict[tuple[int, int], int]  # (official, family) -> modifier index


def _world(rng: random.Random, n_officials: int) -> _World:
    titles = list(TITLES)
    keep = [t for t in titles if t[2]]  # every spokesperson
    others = [t for t in titles if not t[2]]
    rng.shuffle(others)
    chosen = keep + others[: max(n_officials - len(keep), 4)]
    chosen.sort(key=lambda t: titles.index(t))
    lasts = rng.sample(LAST, len(chosen))
    officials = []
    for (country, title, is_spokes, _), last in zip(chosen, lasts, strict=True):
        first = FIRST[int(rng.random() * len(FIRST))]
        poss = "her" if rng.random() < 0.45 else "his"
        officials.append(Official(f"{first} {last}", last, title, country, is_spokes, poss))
    principals = tuple(i for i, o in enumerate(officials) if not o.spokesperson)
    weights = [chosen[i][3] for i in principals]
    cum = tuple(_cumulative(weights))
    spokes = {o.country: i for i, o in enumerate(officials) if o.spokesperson}
    favourite = {
        (i, f): int(rng.random() * len(family.mods))
        for i in principals
        for f, family in enumerate(FAMILIES)
    }
    return _World(tuple(officials), principals, cum, spokes, favourite)


def _cumulative(weights: Sequence[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return [x / total for x in out]


def _pick(rng: random.Random, options: Sequence[str]) -> str:
    return options[int(rng.random() * len(options))]


def _weighted(rng: random.Random, cum: Sequence[float]) -> int:
    return min(bisect.bisect_right(cum, rng.random()), len(cum) - 1)


# --- background text -------------------------------------------------------------------------

_STATIC: dict[str, tuple[str, ...]] = {
    "CITY": (*tuple(c[2] for c in COUNTRIES), "Port Amsel", "Westbrook", "Mirra", "Altby"),
    "PLACE": (*tuple(t for c in COUNTRIES[1:3] for t in c[3]), "the Saren Strip", "the northern border area", "the old city", "the coastal road"),
    "CADJ": tuple(c[1] for c in COUNTRIES),
    "COUNTRY": tuple(c[0] for c in COUNTRIES),
    "NUM": (
        "two", "three", "four", "five", "six", "seven", "nine", "12", "14", "17", "23", "31",
        "40", "at least 30", "more than 100", "dozens of", "several", "about 60", "hundreds of",
    ),
    "PCT": ("0.4", "0.8", "1.1", "1.6", "2.3", "3", "4.5"),
    "MONEY": (
        "$40 million", "$1.2 billion", "$300 million", "25 million euros", "$75 million",
        "$2 billion", "$500,000", "$12 million",
    ),
    "DAY": ("on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday",
            "on Saturday", "on Sunday", "late on Tuesday", "early on Friday"),
    "WHEN": ("next week", "later this month", "in the coming weeks", "by the end of the year",
             "before the summer", "next month", "within days", "after the holiday"),
    "PAST": ("last week", "earlier this month", "in March", "last year", "in the autumn",
             "two weeks ago", "last month"),
    "MONTH": ("January", "March", "April", "June", "August", "October", "November"),
    "ORG": ("the foreign ministry", "the defense ministry", "the army", "the interior ministry",
            "the health ministry", "the central bank", "the finance ministry", "the cabinet",
            "the police", "the electoral commission", "the transport ministry",
            "the energy ministry", "the presidency", "the agriculture ministry",
            "the education ministry", "the prime minister's office", "the statistics office",
            "the water authority", "the civil defense service", "the port authority",
            "the tax office", "the labor ministry", "the housing ministry"),
    "GROUP": ("aid agencies", "relief groups", "rights groups", "local officials", "residents",
              "diplomats", "analysts", "opposition lawmakers", "business leaders", "farmers",
              "doctors", "community leaders", "witnesses", "trade unions", "mayors", "students",
              "shopkeepers", "church leaders", "veterans", "lawyers", "human rights monitors",
              "refugees", "fishermen", "truck drivers", "nurses", "economists"),
    "TOPIC": ("the budget", "the draft resolution", "the proposal", "the trade agreement",
              "the energy deal", "the prisoner exchange", "the new border regime",
              "the election timetable", "the aid package", "the reform plan",
              "the gas pipeline deal", "the water-sharing accord", "the port concession",
              "the grain agreement", "the debt restructuring"),
    "TOPIC2": ("trade ties", "energy prices", "the grain corridor", "border crossings",
               "visa rules", "military aid", "arms sales", "refugee returns", "water rights",
               "fishing quotas", "airline routes", "power supplies", "the debt talks",
               "customs checks", "student exchanges", "cyber threats", "migration"),
    "SUPPLY": ("fuel", "food", "medicine", "drinking water", "flour", "medical equipment",
               "baby formula", "cooking gas", "insulin", "blankets"),
    "ISSUE": ("fuel shortages", "rising prices", "power cuts", "water shortages",
              "the housing crisis", "unemployment", "inflation", "the drought",
              "grain exports", "rents", "pension reform", "public sector pay"),
    "STANCE": (
        "the {visit|trip|announcement} was {largely|mostly|partly} {symbolic|aimed at voters at home|a signal to allies}",
        "the {talks|mediators|negotiators} {faced long odds|were running out of ideas|had made little progress}",
        "{domestic politics|the coming election|coalition arithmetic} would {shape|constrain|dictate} the {response|budget|next steps}",
        "the {region|country|economy} was entering a {dangerous|difficult|delicate|new} phase",
        "the {government|coalition|cabinet|leadership} had {little room to maneuver|few good options|lost the initiative}",
        "{neither side|no one|none of the parties} wanted a {wider|longer|regional} war",
        "the {deal|accord|arrangement} would be hard to {enforce|verify|sell at home}",
        "{prices|unemployment|the currency|the deficit} {was|remained} the {bigger|real|main} worry",
    ),
    "CONTEXT": (
        "{weeks|days|months} of {rising|growing|mounting} {tension|unrest|anger}",
        "a {surge|rise|spike} in {attacks|arrests|fuel prices|evictions|bread prices}",
        "{growing|renewed|fresh} {calls|demands} for {a ceasefire|new elections|an inquiry|reform}",
        "{renewed|fresh|heavy} {fighting|clashes|shelling} {near the border|in the old city|in the north|on the coast}",
        "{mounting|growing|intense} pressure {at home|from allies|from donors|in parliament}",
        "a {diplomatic|bitter|long-running} {row|dispute|quarrel} over {fishing rights|the port concession|water|airspace|tariffs}",
        "a {wave|series|string} of {protests|strikes|drone strikes|arrests|resignations}",
    ),
    "MEASURE": ("a curfew", "school closures", "new shelters", "rationing of fuel",
                "extra bus services", "a ban on gatherings", "emergency water deliveries",
                "the reopening of markets", "a rent freeze", "free bus travel", "night patrols",
                "a hiring freeze", "new bomb shelters", "road closures"),
    "OUTCOME": (
        "the {fighting|unrest|violence} would {spread north|reach the capital|drag on|flare up again}",
        "{prices|rents|fuel costs} would keep {rising|climbing|going up}",
        "the {crossing|port|airport|border} would {reopen soon|stay shut|close again}",
        "more {families|young people|doctors|businesses} would {leave|emigrate|move abroad}",
        "the {talks|coalition|deal} would {collapse|fall apart|hold together}",
        "{aid|help|fuel} would {arrive before winter|come too late|run out}",
    ),
    "INST": ("the Calder Institute", "the Centre for Regional Studies", "Istrel University",
             "the Solen Policy Forum", "the Brask Academy", "the Harlan Foundation"),
    "JOB": ("an analyst", "a researcher", "a former diplomat", "a professor",
            "a senior fellow", "a former ambassador"),
    "PLACEOBJ": ("a hospital", "a school", "a shelter", "a military base", "the port",
                 "a water plant", "a refugee camp", "a power station"),
    "WEAPON": ("drones", "missiles", "rockets", "mortar rounds", "artillery shells"),
    "COURT": (
        "the {election|vote|referendum} must be {rerun|recounted|annulled}",
        "the {strike|detentions|dismissals|tax} {was|were} {illegal|unlawful|lawful|valid}",
        "the {budget|decree|new code} must be {revised|rewritten|suspended}",
    ),
    "POLL": (
        "{backing|support} for the {coalition|government|opposition} was {falling|rising|stable}",
        "{most|many} voters {wanted|favored|opposed} {early elections|a unity government|the reform}",
        "the {prime minister|president|opposition leader} was {losing|gaining} ground",
        "voters cared most about {prices|jobs|housing|corruption}",
        "trust in {parliament|the courts|the police|the media} was at a record low",
    ),
    "REPORT": (
        "a new {envoy|negotiator|ambassador} would be {appointed|named|sent}",
        "the {cabinet|security cabinet|coalition leadership} had met {overnight|twice|behind closed doors}",
        "the army had called up {reservists|thousands of reservists|more troops}",
        "the {talks|budget vote|visit|summit} had been {postponed|delayed|moved up|called off}",
        "{two|three|several} ministers had {resigned|been dismissed|threatened to quit}",
        "the border would remain shut for {a week|days|the holiday}",
    ),
}  # fmt: skip

#: Clause templates: ``{NAME}`` is a slot; ``{A|B}`` an inline choice. ``REF`` (an official of
#: the document, by last name), ``PERSON`` (title and full name), ``ANALYST`` and ``OUTLET``
#: are filled per document.
_CLAUSES = (
    # casualties and fighting
    "{ORG} said {NUM} people had been {killed|wounded|hurt|injured} {in|near|around|outside} {PLACE}",
    "{NUM} {people|residents|civilians|villagers} were {evacuated|moved|bused out} from {PLACE} {DAY}",
    "{GROUP} in {PLACE} {reported|described|recorded} {NUM} {explosions|blasts|air strikes|drone strikes} {overnight|since Sunday|in the past day|before dawn}",
    "the {army|military|armed forces} said it had {intercepted|shot down|tracked|downed} {NUM} {WEAPON} {fired|launched} {from|toward} {PLACE}",
    "the {army|police|military|border guard} said {NUM} {soldiers|officers|gunmen|suspects} were {killed|injured|arrested|detained} in {a raid|clashes|an ambush|a shootout} {near|in|outside} {PLACE}",
    "{NUM} {WEAPON} {landed|fell|struck|hit} {near|in|outside} {PLACE} {DAY}, causing {damage but no injuries|several injuries|a fire|power cuts}",
    "{NUM} {journalists|aid workers|medics|paramedics|teachers} have {been killed|died|been injured} since the {war|fighting|escalation} began",
    "{witnesses|residents|neighbors} {described|reported|recalled} {heavy|sporadic|intense|renewed} {gunfire|shelling|fighting} {in|near|around} {PLACE} {overnight|at dawn|late into the night}",
    "{GROUP} accused {CADJ} forces of {violating|breaching|ignoring} the {truce|ceasefire|agreement|deal}",
    "the {ceasefire|truce} {brokered|mediated|arranged} by {COUNTRY} {took effect|came into force|began|started} at {midnight|dawn|noon|6 a.m.}",
    "a {curfew|lockdown|night curfew} was {imposed|lifted|extended|eased} in {PLACE} {DAY}",
    "{NUM} {houses|buildings|apartment blocks|shops} were {destroyed|damaged|flattened} in {PLACE}, {according to|said} {GROUP}",
    "the {incident|strike|explosion|shooting} {drew|prompted|sparked|triggered} {criticism|calls for an inquiry|protests|anger} from {GROUP}",
    "{NUM} {families|residents|people|households} have {been displaced|fled|left their homes} {from|in} {PLACE} since {MONTH}",
    # aid and supplies
    "{GROUP} {warned|said|cautioned} that {stocks|supplies|reserves} of {SUPPLY} were {running low|nearly exhausted|dwindling} in {PLACE}",
    "{NUM} trucks {carrying|loaded with|bringing} {SUPPLY} {entered|reached|crossed into} {PLACE} {DAY}",
    "the {aid|relief|supply} {convoy|shipment|flight|operation} {was delayed|was suspended|resumed|was expanded|was turned back} {DAY}",
    "the {relief agency|health ministry|municipality|hospital authority} said {NUM} {hospitals|clinics|schools|shelters|bakeries} in {PLACE} were {operating at capacity|no longer functioning|without power|short of staff}",
    "{ORG} {announced|pledged|unveiled|earmarked} {MONEY} {in|of} {new funding|emergency loans|grants|credit guarantees} for {farmers|displaced families|small businesses|exporters|municipalities}",
    "{MONEY} in {military|economic|development|budget} {assistance|support|loans} was {approved|released|frozen|unlocked} {PAST}",
    "donors {meeting|gathered} in {CITY} {pledged|promised|offered} {MONEY} {for|toward} {water projects|schools|housing|power lines|clinics}",
    "the {World Food Agency|Red Crescent|relief agency|children's fund} {said|warned|reported} that {NUM} {children|families|people} {needed|lacked|depended on} {SUPPLY}",
    "{bakeries|pharmacies|petrol stations|markets} in {PLACE} {closed|reopened|ran out of stock|raised prices} {DAY}",
    "{GROUP} {said|complained} that {permits|inspections|checkpoints|customs checks} were {slowing|holding up|delaying} {deliveries|shipments|convoys}",
    # diplomacy and politics
    "{talks|negotiations|discussions} on {TOPIC} {would|are set to|were expected to} {resume|restart|continue} {WHEN} in {CITY}",
    "{REF} is {due|expected|scheduled} to {travel|fly} to {CITY} {WHEN}",
    "the {parliament|cabinet|upper house|coalition|assembly} is {expected|set|due} to {vote on|debate|approve|review} {TOPIC} {WHEN}",
    "it was not {immediately|yet} clear {whether|when|how} {TOPIC} would {take effect|be implemented|be put to a vote|be signed}",
    "{ORG} did not {respond|reply} to {a request|requests} for {comment|details}",
    "{REF} {met|hosted|received} {PERSON} in {CITY} to {discuss|review|go over} {TOPIC2}",
    "{PERSON} told {OUTLET} that {STANCE}",
    "{CADJ} officials said {TOPIC} {had stalled|was close to completion|faced new obstacles|remained on track|was being redrafted}",
    "{REF}'s office said the {meeting|call|visit|session} had been {productive|constructive|frank|cordial|useful}",
    "the {last|previous|latest|third} round of {talks|negotiations|consultations} in {CITY} {ended|broke up|closed} {without agreement|with a joint statement|after two days|early}",
    "{COUNTRY} and {COUNTRY} {signed|initialed|agreed} {an agreement|a memorandum|a protocol|a framework} on {TOPIC2} {PAST}",
    "a {spokesman|spokeswoman|press officer} for {ORG} declined to comment on {the report|the talks|the claims|the figures}",
    "the Council of Nations {is scheduled|is due|plans} to {meet|convene|hold a session} {WHEN} in {CITY}",
    "{REF} {arrived|landed} in {CITY} {DAY} {for talks|on the second leg of a regional tour|at the start of a three-day visit|for a one-day stop}",
    "the {talks|negotiations|meetings} {focused on|touched on|covered|dealt with} {TOPIC2} and {TOPIC2}",
    "{REF} is {scheduled|due|expected} to {address|meet|see} {lawmakers|parliament|reporters|donors|business leaders} {WHEN}",
    "the {minister|ministry|spokesman} {rejected|dismissed|denied} the {claims|allegations|report|accusations} as {baseless|politically motivated|false|misleading}",
    "the {dispute|crisis|standoff|row} has {strained|tested|complicated|soured} relations between {COUNTRY} and {COUNTRY}",
    "{CADJ} {media|television|newspapers} reported that {REPORT}",
    "the {visit|trip|meeting|tour} {comes|came} {amid|after|during} {CONTEXT}",
    "{REF} {spoke|talked} {with|to} {PERSON} {DAY}",
    "{REF} {visited|toured|stopped at} {PLACEOBJ} in {PLACE}",
    "{REF} said the government would keep {pushing|pressing|working} for {a prisoner exchange|new elections|more aid|an end to the blockade|a new budget}",
    "{ambassadors|envoys|diplomats} from {NUM} countries {met|gathered|held talks} in {CITY} {DAY}",
    "{COUNTRY} {recalled|summoned|expelled} {its|the} {ambassador|envoy|chargé d'affaires} {from|in} {CITY}",
    "{REF} {named|appointed|nominated} {a new|an interim} {envoy|ambassador|negotiator|chief of staff} {DAY}",
    "a {draft|revised|new} {resolution|text|proposal} {circulated|was circulated|was tabled} among {members|delegations|diplomats} {DAY}",
    "{REF} {faces|is facing|will face} {questions|a confidence vote|a tough hearing|criticism} in {parliament|the assembly|committee} {WHEN}",
    # domestic news
    "protesters {gathered|rallied|marched} {outside|near|toward} {the parliament|the ministry|the embassy|city hall} in {CITY} to demand {early elections|higher wages|the return of prisoners|lower fuel prices|housing}",
    "the {storm|heat wave|flooding|sandstorm} {disrupted|delayed|halted} {deliveries|flights|repairs|ferry services} in {PLACE}",
    "the {government|coalition|opposition|cabinet} {faces|is facing|came under} {pressure|criticism|questions|fire} over {ISSUE}",
    "{ORG} {published|released|issued} {figures|data|statistics} {showing|indicating|suggesting} {ISSUE} {rose|fell|eased|worsened} in {MONTH}",
    "turnout in the {local|regional|municipal|district} {elections|vote|polls} was {PCT} percent {lower|higher} than {PAST}",
    "{GROUP} said they {hoped|feared|expected|doubted} {OUTCOME}",
    "{ORG} said the {plan|package|program|scheme} would cost {MONEY} {over five years|this year|in total}",
    "{CITY}'s {mayor|governor|council|city hall} {ordered|announced|approved|rejected} {MEASURE}",
    "the central bank {raised|cut|left unchanged|held steady} {interest rates|its growth forecast|its inflation forecast|its key rate}",
    "markets in {CITY} {rose|fell|were little changed|slipped|rallied}, with the {currency|main index|bond market|stock exchange} {gaining|losing|slipping|adding} {PCT} percent",
    "{the union|teachers|doctors|dock workers|bus drivers} {threatened|called|announced|began} a {strike|walkout|stoppage} over {pay|pensions|working hours|conditions}",
    "{fuel|bread|electricity|rent|water} prices {rose|jumped|climbed|fell} {PCT} percent in {MONTH}",
    "the {court|supreme court|election board|ethics committee} {ruled|decided|found} that {COURT}",
    "{NUM} {students|workers|pilgrims|tourists} were {stranded|stuck|held up} at {PLACEOBJ} {DAY}",
    "the {border police|coast guard|customs service} said {NUM} people were {turned back|stopped|questioned} at {PLACE}",
    "{guards|staff|workers} at {PLACEOBJ} in {PLACE} were {questioned|replaced|reinforced|evacuated}",
    "the minister {promised|offered|pledged} {help|compensation|relief|loans} to {farmers|exporters|hospitals|displaced families} hit by {ISSUE}",
    "{engineers|crews|technicians} {restored|repaired|reconnected} {power|water|phone lines|internet service} to {PLACE} {DAY}",
    "the {school|academic} year in {PLACE} {was postponed|resumed|was cut short|began late}",
    "{ANALYST}, {JOB} at {INST}, said {STANCE}",
    "{ANALYST} of {INST} {noted|argued|pointed out} that {STANCE}",
    "{polls|surveys|a new poll} {showed|suggested|found} {POLL}",
    "{GROUP} {held|organized|staged} a {vigil|rally|sit-in|march} in {CITY} {DAY}",
    "the {port|airport|railway|highway} {near|at|outside} {PLACE} {reopened|closed|was damaged|was repaired} {DAY}",
)  # fmt: skip
_OPENERS = (
    ("", 30), ("{DAY}, ", 3), ("Earlier, ", 1), ("Meanwhile, ", 1), ("In {CITY}, ", 2),
    ("Separately, ", 1), ("In a separate development, ", 1), ("At the same time, ", 1),
    ("According to {GROUP}, ", 1), ("Last week, ", 1), ("On the ground, ", 1), ("Later, ", 1),
    ("Elsewhere, ", 1), ("In {PLACE}, ", 1), ("As a result, ", 1), ("By contrast, ", 1),
)  # fmt: skip
_ADJUNCTS = (
    ("", 14), (", officials said", 2), (", according to {ORG}", 1), (", the ministry said", 1),
    (" amid {CONTEXT}", 1), (", {REF} said", 1), (", the report said", 1),
    (", a day after {CONTEXT}", 1), (" despite {ISSUE}", 1),
)  # fmt: skip

_SLOT = re.compile(r"\{([A-Z][A-Z0-9]*|[^{}]*\|[^{}]*)\}")


@dataclass(frozen=True)
class _Template:
    literals: tuple[str, ...]  # n + 1 literal pieces around n slots
    slots: tuple[str | tuple[str, ...], ...]  # a slot name or inline options

    @property
    def pairs(self) -> tuple[tuple[str | tuple[str, ...], str], ...]:
        return tuple(zip(self.slots, self.literals[1:], strict=True))


def _compile(text: str) -> _Template:
    """Inline choices become tuples; static slots are resolved to their (expanded) pool."""
    parts = _SLOT.split(text)
    literals = tuple(parts[0::2])
    slots = tuple(tuple(p.split("|")) if "|" in p else _POOLS.get(p, p) for p in parts[1::2])
    return _Template(literals, slots)


def _expand(options: tuple[str, ...]) -> tuple[str, ...]:
    """Inline choices inside slot values are expanded once (no nesting at render time)."""
    out: list[str] = []
    for option in options:
        out.extend(_render_all(_compile(option)) if "{" in option else [option])
    return tuple(out)


def _render_all(template: _Template) -> list[str]:
    results = [template.literals[0]]
    for slot, literal in zip(template.slots, template.literals[1:], strict=True):
        choices = slot if isinstance(slot, tuple) else _STATIC[slot]
        results = [r + c + literal for r in results for c in choices]
    return results


_POOLS: dict[str, tuple[str, ...]] = {}
_POOLS.update({k: _expand(v) for k, v in _STATIC.items()})
_Pairs = tuple[str, tuple[tuple[str | tuple[str, ...], str], ...]]


def _prepared(templates: Sequence[tuple[str, int]]) -> tuple[_Pairs, ...]:
    """Each template as (first literal, slot/literal pairs), repeated by its integer weight."""
    out: list[_Pairs] = []
    for text, weight in templates:
        template = _compile(text)
        out += [(template.literals[0], template.pairs)] * weight
    return tuple(out)


_CLAUSE_P = _prepared([(c, 1) for c in _CLAUSES])
_OPENER_P = _prepared(_OPENERS)
_ADJUNCT_P = _prepared(_ADJUNCTS)


def _fill(template: _Template, pools: dict[str, tuple[str, ...]], rnd: Callable[[], float]) -> str:
    """The template with each slot filled by a random choice (``rnd``: ``Random.random``)."""
    return _fill_pairs(template.literals[0], template.pairs, pools, rnd)


def _fill_pairs(
    first: str,
    pairs: tuple[tuple[str | tuple[str, ...], str], ...],
    pools: dict[str, tuple[str, ...]],
    rnd: Callable[[], float],
) -> str:
    out = [first]
    for slot, literal in pairs:
        options = slot if slot.__class__ is tuple else pools[slot]  # type: ignore[index]
        out += (options[int(rnd() * len(options))], literal)
    return "".join(out)


def _background_sentence(rng: random.Random, pools: dict[str, tuple[str, ...]]) -> str:
    rnd = rng.random
    first, pairs = _CLAUSE_P[int(rnd() * len(_CLAUSE_P))]
    clause = _fill_pairs(first, pairs, pools, rnd)
    first, pairs = _OPENER_P[int(rnd() * len(_OPENER_P))]
    opener = _fill_pairs(first, pairs, pools, rnd) if pairs else first
    first, pairs = _ADJUNCT_P[int(rnd() * len(_ADJUNCT_P))]
    adjunct = _fill_pairs(first, pairs, pools, rnd) if pairs else first
    text = opener + clause + adjunct + "."
    return text[0].upper() + text[1:]


# --- formulas --------------------------------------------------------------------------------


@dataclass
class _Occurrence:
    text: str  # the variant, with OPEN/CLOSE quote marks
    family: str
    kinds: str


def _family_tables(n_families: int) -> tuple[list[Family], list[float], list[list[list[float]]]]:
    families = list(FAMILIES[:n_families])
    # Zipf-like frequencies (s = 0.7) in a fixed, scrambled order of families
    weights = [1.0 / (rank + 1) ** 0.7 for rank in range(len(families))]
    order = sorted(range(len(families)), key=lambda i: (i * 7919) % 101)
    zipf = [0.0] * len(families)
    for rank, i in enumerate(order):
        zipf[i] = weights[rank]
    # modifier weights drifting over 8 periods: the canonical modifier fades, the last rises
    drift: list[list[list[float]]] = []
    for family in families:
        k = len(family.mods)
        per_period = []
        for period in range(8):
            t = period / 7
            w = [1.0] * k
            if k > 1:
                w[0] = 3.0 * (1.0 - t) + 0.5
                w[-1] = 0.5 + 2.5 * t
            per_period.append(_cumulative(w))
        drift.append(per_period)
    return families, _cumulative(zipf), drift


def _typo(rng: random.Random, text: str) -> str | None:
    """One character edit in one lowercase word of at least 5 letters, or None."""
    words = [m for m in re.finditer(r"[a-z]{5,}", text)]
    if not words:
        return None
    word = words[int(rng.random() * len(words))]
    w = word.group()
    i = 1 + int(rng.random() * (len(w) - 2))
    op = int(rng.random() * 4)
    if op == 0:
        new = w[:i] + w[i + 1] + w[i] + w[i + 2 :] if w[i] != w[i + 1] else w[:i] + w[i + 1 :]
    elif op == 1:
        new = w[:i] + w[i + 1 :]
    elif op == 2:
        new = w[:i] + w[i] + w[i:]
    else:
        near = {"a": "s", "e": "r", "i": "o", "o": "i", "n": "m", "r": "t", "t": "r", "s": "a"}
        new = w[:i] + near.get(w[i], "e") + w[i + 1 :]
    if new == w:
        return None
    return text[: word.start()] + new + text[word.end() :]


@dataclass(frozen=True)
class _DocContext:
    country: str  # {C}
    other: str  # {K}
    region: str
    period: int  # 0..7
    principal: int  # official index


def _formula(
    rng: random.Random,
    family_index: int,
    family: Family,
    form_of_verb: int,
    ctx: _DocContext,
    speaker: int,
    drift: list[list[list[float]]],
    world: _World,
    *,
    in_quote: bool,
) -> _Occurrence:
    kinds = []
    cum = _cumulative([w for _, w in family.forms])
    form_index = _weighted(rng, cum)
    template = family.forms[form_index][0]
    if form_index:
        kinds.append("form")
    mod = ""
    if "{M}" in template:
        r = rng.random()
        if r < 0.35 and (speaker, family_index) in world.favourite:
            m = world.favourite[(speaker, family_index)]
        elif r < 0.8:
            m = _weighted(rng, drift[family_index][ctx.period])
        else:
            m = int(rng.random() * len(family.mods))
        mod = family.mods[m]
        if m:
            kinds.append("modifier")
        if mod and " " not in mod and not in_quote and rng.random() < 0.08:
            mod = f"{OPEN}{mod}{CLOSE}"
            kinds.append("scare")
    values = {
        "M": mod,
        "C": ctx.country,
        "K": ctx.other,
        "R": ctx.region,
        "P": _pick(rng, PEOPLES),
        "S": _pick(rng, SEAS),
    }
    if "{L}" in template:
        values["L"] = _values_list(rng, kinds)
    if family.verb is not None:
        values["V"] = family.verb[form_of_verb]
        if form_of_verb:
            kinds.append("inflection")
    text = re.sub(r"\{([A-Z])\}", lambda m: values[m.group(1)], template)
    if family.ext and rng.random() < 0.18:
        text += _pick(rng, family.ext).replace("{R}", ctx.region)
        kinds.append("extension")
    text = " ".join(text.split()).replace(" ,", ",")
    if rng.random() < 0.05:
        typo = _typo(rng, text)
        if typo is not None:
            text = typo
            kinds.append("typo")
    return _Occurrence(text, family.key, "+".join(kinds))


def _values_list(rng: random.Random, kinds: list[str]) -> str:
    items = list(_LIST)
    if rng.random() < 0.3:
        rng.shuffle(items)
        kinds.append("reorder")
    if rng.random() < 0.2:
        items = items[:3]
    return ", ".join(items[:-1]) + ("," if rng.random() < 0.5 else "") + " and " + items[-1]


# --- documents -------------------------------------------------------------------------------


@dataclass
class _Sentence:
    text: str
    gold: list[tuple[int, int, _Occurrence, str, str, str]]  # rel start, end, occ, principal,
    # speaker, mode


@dataclass
class _Story:
    paragraphs: list[list[_Sentence]]
    title: str
    principal: str
    city: str


@dataclass(frozen=True)
class Synth:
    """A synthetic corpus: ``documents`` for :func:`phrasedrift.load_corpus`, ``gold``
    occurrences in the format of :mod:`phrasedrift.evaluate`, and the ``families`` inventory
    (family, canonical form)."""

    documents: pd.DataFrame
    gold: pd.DataFrame
    families: pd.DataFrame


def _ref(official: Official, first: bool) -> str:
    return f"{official.title} {official.name}" if first else official.last


def _lead(rng: random.Random, family: Family, first_person: bool) -> tuple[str, int]:
    own = family.leads1 if first_person else family.leads3
    leads = own or LEADS[family.kind][1 if first_person else 0]
    return leads[int(rng.random() * len(leads))]


class _Builder:
    """Builds one formula sentence at a time; tracks where the variants are."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.gold: list[tuple[int, int, _Occurrence, str, str, str]] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def occurrence(self, occ: _Occurrence, principal: str, speaker: str, mode: str) -> None:
        self.gold.append((self.length, self.length + len(occ.text), occ, principal, speaker, mode))
        self.add(occ.text)

    def sentence(self) -> _Sentence:
        text = "".join(self.parts)
        if text[:1].islower():
            text = text[0].upper() + text[1:]
        return _Sentence(text, self.gold)


def _fill_lead(lead: str, poss: str, country: str, peoples: str) -> str:
    return lead.replace("{poss}", poss).replace("{C}", country).replace("{P}", peoples)


def _formula_sentence(
    rng: random.Random,
    chosen: list[int],
    families: list[Family],
    drift: list[list[list[float]]],
    world: _World,
    ctx: _DocContext,
    mentioned: set[int],
    pools: dict[str, tuple[str, ...]],
) -> _Sentence:
    """One sentence carrying the formulas ``chosen`` (one, or two joined by "and")."""
    officials = world.officials
    principal = (
        ctx.principal
        if rng.random() < 0.7
        else world.principals[_weighted(rng, world.principal_cum)]
    )
    p = officials[principal]
    first = principal not in mentioned
    mentioned.add(principal)
    gov = f"the {COUNTRIES[p.country][1]} government" if p.country >= 0 else "the Council"
    r = rng.random()
    mode = (
        "quote" if r < 0.3 else "relayed" if r < 0.45 else "narration" if r < 0.55 else "reported"
    )
    peoples = _pick(rng, PEOPLES)
    b = _Builder()

    def lead_and_formula(
        k: int, family_index: int, first_person: bool, poss: str
    ) -> tuple[str, _Occurrence]:
        family = families[family_index]
        lead, form = _lead(rng, family, first_person)
        lead = _fill_lead(lead, poss, ctx.country, peoples)
        occ = _formula(
            rng, family_index, family, form, ctx, principal, drift, world,
            in_quote=first_person,
        )  # fmt: skip
        if not lead and not k:  # a clause formula opens the quote
            occ.text = occ.text[0].upper() + occ.text[1:]
        elif k and lead.split(" ", 1)[0] in _LOWER_AFTER_AND:
            lead = lead[0].lower() + lead[1:]
        return lead, occ

    name = _ref(p, first)
    if mode == "quote":
        b.add(OPEN)
        for k, fi in enumerate(chosen):
            lead, occ = lead_and_formula(k, fi, True, "our")
            b.add(", and " + lead if k else lead[:1].upper() + lead[1:])
            if lead:
                b.add(" ")
            b.occurrence(occ, p.name, p.name, "quote")
        style = rng.random()
        if style < 0.6:
            b.add(f",{CLOSE} {name} said.")
        elif style < 0.8:
            b.add(f",{CLOSE} said {name}.")
        else:
            b.add(f",{CLOSE} {name} said {_fill(_compile(_pick(rng, _WHERE)), pools, rng.random)}.")
        return b.sentence()
    spokes_index = world.spokes.get(p.country)
    if mode == "relayed" and spokes_index is not None and spokes_index != principal:
        s = officials[spokes_index]
        s_ref = _ref(s, spokes_index not in mentioned)
        mentioned.add(spokes_index)
        quoted = rng.random() < 0.5
        if quoted:
            b.add(OPEN + (p.title + " " if first else "") + p.last + " ")
        else:
            b.add(f"According to a statement from {s_ref}, {name} ")
        for k, fi in enumerate(chosen):
            lead, occ = lead_and_formula(k, fi, False, p.poss)
            b.add((" and " if k else "") + lead + " ")
            b.occurrence(occ, p.name, s.name, "quote" if quoted else "reported")
        if quoted:
            b.add(f",{CLOSE} {s_ref} said in a readout of the call.")
        else:
            b.add(
                _pick(rng, _TAILS).replace("{X}", _counterpart(rng, world, principal, mentioned))
                + "."
            )
        return b.sentence()
    if mode == "narration":
        b.add(
            f"{gov[0].upper()}{gov[1:]} has {_pick(rng, ('repeatedly', 'long', 'consistently'))} "
        )
        for k, fi in enumerate(chosen):
            lead, occ = lead_and_formula(k, fi, False, "its")
            b.add((" and " if k else "") + lead + " ")
            b.occurrence(occ, gov[4:] if gov.startswith("the ") else gov, "", "narration")
        b.add(".")
        return b.sentence()
    # reported
    opener = _pick(rng, ("", "", "", "In a statement, ", "Speaking in {CITY}, ", "{DAY}, "))
    if opener:
        b.add(_fill(_compile(opener), pools, rng.random))
    b.add(f"{name} ")
    for k, fi in enumerate(chosen):
        lead, occ = lead_and_formula(k, fi, False, p.poss)
        b.add((_pick(rng, (" and ", ", and ")) if k else "") + lead + " ")
        b.occurrence(occ, p.name, p.name, "reported")
    b.add(_pick(rng, _TAILS).replace("{X}", _counterpart(rng, world, principal, mentioned)) + ".")
    return b.sentence()


_LOWER_AFTER_AND = frozenset({"We", "Our", "Let", "This", "Both", "Nothing"})
_WHERE = ("in {CITY}", "at a news conference", "{DAY}", "in a statement")
_TAILS = (
    "", "", "", " during a call with {X}", " in a meeting with {X}", " at a news conference",
    " in a phone call with {X}", " in a statement", " after talks with {X}",
)  # fmt: skip


def _counterpart(rng: random.Random, world: _World, principal: int, mentioned: set[int]) -> str:
    other = world.principals[_weighted(rng, world.principal_cum)]
    if other == principal:
        other = world.principals[(world.principals.index(other) + 1) % len(world.principals)]
    o = world.officials[other]
    country = COUNTRIES[o.country][1] + " " if o.country >= 0 else "Council "
    first = other not in mentioned
    mentioned.add(other)
    return f"{country}{o.title} {o.name}" if first else o.last


def _story(
    rng: random.Random,
    world: _World,
    families: list[Family],
    family_cum: list[float],
    drift: list[list[list[float]]],
    period: int,
    words_per_doc: int,
) -> _Story:
    officials = world.officials
    principal = world.principals[_weighted(rng, world.principal_cum)]
    p = officials[principal]
    country = (
        "Valmora"
        if rng.random() < 0.75 or p.country == 1
        else _pick(rng, ("Lusania", "Tessmark", "Merevia"))
    )
    other = _pick(rng, ("Lusania", "Tessmark", "Korvath", "Merevia"))
    ctx = _DocContext(country, other, _pick(rng, REGIONS), period, principal)
    n_formulas = (1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 6)[int(rng.random() * 12)]
    chosen = [_weighted(rng, family_cum) for _ in range(n_formulas)]
    # document-specific pools: officials of the story by last name, people in full
    cast = [principal] + [world.principals[_weighted(rng, world.principal_cum)] for _ in range(3)]
    pools = dict(_POOLS)
    pools["REF"] = tuple(officials[i].last for i in cast)
    pools["PERSON"] = tuple(
        f"{COUNTRIES[officials[i].country][1] + ' ' if officials[i].country >= 0 else ''}"
        f"{officials[i].title} {officials[i].name}"
        for i in cast[1:]
    )
    pools["ANALYST"] = tuple(f"{_pick(rng, FIRST)} {_pick(rng, LAST)}" for _ in range(2))
    pools["OUTLET"] = tuple(o[0] for o in OUTLETS[:6])
    mentioned: set[int] = set()
    formula_sentences: list[_Sentence] = []
    k = 0
    while k < len(chosen):
        take = 2 if k + 1 < len(chosen) and rng.random() < 0.25 else 1
        formula_sentences.append(
            _formula_sentence(
                rng, chosen[k : k + take], families, drift, world, ctx, mentioned, pools
            )
        )
        k += take
    target = int(words_per_doc * (0.6 + 0.8 * rng.random()))
    words = sum(s.text.count(" ") + 1 for s in formula_sentences)
    background: list[_Sentence] = []
    while words < target:
        text = _background_sentence(rng, pools)
        words += text.count(" ") + 1
        background.append(_Sentence(text, []))
    # formula sentences: the first one in the first three sentences, the others anywhere
    sentences = background
    for i, s in enumerate(formula_sentences):
        at = (
            int(rng.random() * min(3, len(sentences) + 1))
            if i == 0
            else int(rng.random() * (len(sentences) + 1))
        )
        sentences.insert(at, s)
    n_par = min(3 + int(rng.random() * 10), len(sentences))
    cuts = sorted(rng.sample(range(1, len(sentences)), n_par - 1)) if n_par > 1 else []
    bounds = [0, *cuts, len(sentences)]
    paragraphs = [sentences[a:b] for a, b in itertools.pairwise(bounds)]
    title = _title(rng, chosen, families, p, country)
    city = COUNTRIES[p.country][2] if p.country >= 0 else "Solen"
    return _Story(paragraphs, title, p.name, city)


def _title(
    rng: random.Random, chosen: list[int], families: list[Family], p: Official, country: str
) -> str:
    topics = {
        "commit": f"{p.last} reaffirms backing for {country}",
        "concern": f"{p.last} voices alarm as crisis deepens",
        "inf": f"{p.last} urges steps to ease crisis",
        "call": f"{p.last} presses for action on crisis",
        "clause": f"{p.last} issues warning over fighting",
        "right": f"{p.last} backs {country}",
        "bond": f"{p.last} meets counterparts in the region",
    }
    return topics[families[chosen[0]].kind]


_BOILER = ("Advertisement", "Read more: Latest news from the region", "Story continues below")


def _render(
    story: _Story,
    outlet: tuple[str, bool, bool, bool, bool, bool],
    date: pd.Timestamp,
    rng: random.Random,
    *,
    cut: int = 0,
) -> tuple[str, list[tuple[int, int, _Occurrence, str, str, str]]]:
    """The text of ``story`` as ``outlet`` prints it, and its gold spans."""
    name, _, curly, byline, dateline, boiler = outlet
    pieces: list[str] = []
    gold: list[tuple[int, int, _Occurrence, str, str, str]] = []
    length = 0

    def put(text: str) -> None:
        nonlocal length
        pieces.append(text)
        length += len(text)

    if byline:
        put(f"By {_pick(rng, FIRST)} {_pick(rng, LAST)}\n\n")
    paragraphs = story.paragraphs[: len(story.paragraphs) - cut] if cut else story.paragraphs
    append = pieces.append
    for pi, paragraph in enumerate(paragraphs):
        if pi:
            put("\n\n")
            if boiler and rng.random() < 0.12:
                put(_pick(rng, _BOILER) + "\n\n")
        if pi == 0 and dateline:
            put(f"{story.city.upper()}, {date.strftime('%B')} {date.day} ({name}) - ")
        for si, sentence in enumerate(paragraph):
            if si:
                append(" ")
                length += 1
            for a, b, occ, principal, speaker, mode in sentence.gold:
                gold.append((length + a, length + b, occ, principal, speaker, mode))
            append(sentence.text)
            length += len(sentence.text)
    if boiler and rng.random() < 0.5:
        put(f"\n\nFollow {name} on Twitter for the latest updates.")
    text = (_curly if curly else _straight)("".join(pieces))
    return text, gold


def generate(
    n_docs: int,
    *,
    seed: int = 0,
    n_families: int = len(FAMILIES),
    n_officials: int = 24,
    words_per_doc: int = 600,
    reprint_rate: float = 0.5,
) -> Synth:
    """``n_docs`` news-like documents with known formula occurrences (see the module docstring).

    n_families: how many of :data:`FAMILIES` are used (all 41 by default).
    n_officials: named officials in the world (10-25; every spokesperson is among them).
    words_per_doc: mean document length in words.
    reprint_rate: share of wire stories reprinted by 1-3 other outlets (near-duplicates).
    """
    if not 1 <= n_families <= len(FAMILIES):
        raise ValueError(f"n_families must be 1..{len(FAMILIES)}")
    if not 10 <= n_officials <= len(TITLES):
        raise ValueError(f"n_officials must be 10..{len(TITLES)}")
    rng = random.Random(seed)
    world = _world(rng, n_officials)
    families, family_cum, drift = _family_tables(n_families)
    outlet_cum = _cumulative(OUTLET_WEIGHTS)
    start = pd.Timestamp("2022-01-01")
    span_days = 730
    crises = sorted(int(rng.random() * span_days) for _ in range(8))
    doc_cols: dict[str, list[object]] = {
        k: [] for k in ("doc_id", "text", "date", "source", "title", "principal")
    }
    gold_rows: list[tuple[object, ...]] = []

    def emit(text: str, gold: list[tuple[int, int, _Occurrence, str, str, str]], date: pd.Timestamp,
             outlet: str, story: _Story) -> None:  # fmt: skip
        doc_id = f"{len(doc_cols['doc_id']):06d}_{_slug(outlet)}"
        doc_cols["doc_id"].append(doc_id)
        doc_cols["text"].append(text)
        doc_cols["date"].append(date.strftime("%Y-%m-%d"))
        doc_cols["source"].append(outlet)
        doc_cols["title"].append(story.title)
        doc_cols["principal"].append(story.principal)
        folded = _fold(text)
        for a, b, occ, principal, speaker, mode in gold:
            variant = text[a:b]
            nth = folded.count(_fold(variant), 0, a) + 1
            gold_rows.append(
                (
                    doc_id,
                    doc_id,
                    occ.family,
                    variant,
                    nth,
                    a,
                    b,
                    principal,
                    speaker,
                    mode,
                    occ.kinds,
                )
            )

    while len(doc_cols["doc_id"]) < n_docs:
        if rng.random() < 0.6:
            day = crises[int(rng.random() * len(crises))] + int(rng.gauss(0, 6))
        else:
            day = int(rng.random() * span_days)
        day = min(max(day, 0), span_days - 1)
        date = start + pd.Timedelta(days=day)
        period = min(day * 8 // span_days, 7)
        outlet_index = _weighted(rng, outlet_cum)
        outlet = OUTLETS[outlet_index]
        story = _story(rng, world, families, family_cum, drift, period, words_per_doc)
        text, gold = _render(story, outlet, date, rng)
        emit(text, gold, date, outlet[0], story)
        if outlet[1] and rng.random() < reprint_rate:
            n_copies = 1 + int(rng.random() * 3)
            others = [i for i in range(len(OUTLETS)) if not OUTLETS[i][1]]
            for copy_outlet in rng.sample(others, n_copies):
                if len(doc_cols["doc_id"]) >= n_docs:
                    break
                cut = int(rng.random() * 3) if len(story.paragraphs) > 4 else 0
                copy_date = date + pd.Timedelta(days=int(rng.random() < 0.3))
                text, gold = _render(story, OUTLETS[copy_outlet], copy_date, rng, cut=cut)
                emit(text, gold, copy_date, OUTLETS[copy_outlet][0], story)
    documents = pd.DataFrame(doc_cols)
    gold_frame = pd.DataFrame(
        gold_rows,
        columns=[
            "doc", "doc_id", "family", "variant", "nth", "start", "end", "principal", "speaker",
            "mode", "kinds",
        ],
    )  # fmt: skip
    inventory = pd.DataFrame(
        {"family": [f.key for f in families], "canonical": [f.forms[0][0] for f in families]}
    )
    return Synth(documents, gold_frame, inventory)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def background_sample(n_sentences: int, *, seed: int = 0) -> list[str]:
    """Background sentences alone (no formulas), for checking that they never carry a core."""
    rng = random.Random(seed)
    world = _world(rng, 24)
    pools = dict(_POOLS)
    pools["REF"] = tuple(o.last for o in world.officials)
    pools["PERSON"] = tuple(f"{o.title} {o.name}" for o in world.officials)
    pools["ANALYST"] = ("Irene Novak", "Yusuf Larsen")
    pools["OUTLET"] = tuple(o[0] for o in OUTLETS)
    return [_background_sentence(rng, pools) for _ in range(n_sentences)]


# --- command line ----------------------------------------------------------------------------


def write_corpus(synth: Synth, out: Path, gold: Path | None = None) -> None:
    """One ``<doc_id>.txt`` per document with YAML front matter, and the gold CSV
    (``out/gold.csv`` unless ``gold`` is given)."""
    out.mkdir(parents=True, exist_ok=True)
    for row in synth.documents.itertuples(index=False):
        front = "\n".join(
            f"{key}: {json.dumps(str(value), ensure_ascii=False)}"
            for key, value in (
                ("source", row.source),
                ("date", row.date),
                ("principal", row.principal),
                ("title", row.title),
            )
        )
        (out / f"{row.doc_id}.txt").write_text(f"---\n{front}\n---\n{row.text}\n", encoding="utf-8")
    synth.gold.to_csv(gold or out / "gold.csv", index=False)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n_docs", type=int, help="number of documents")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--families", type=int, default=len(FAMILIES), help="formula families")
    parser.add_argument("--words", type=int, default=600, help="mean words per document")
    parser.add_argument("--out", type=Path, required=True, help="corpus folder to write")
    parser.add_argument("--gold", type=Path, help="gold CSV path (default: OUT/gold.csv)")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    synth = generate(
        args.n_docs, seed=args.seed, n_families=args.families, words_per_doc=args.words
    )
    write_corpus(synth, args.out, args.gold)
    words = int(synth.documents["text"].str.count(r"\S+").sum())
    print(
        f"{len(synth.documents)} documents, {words} words, {len(synth.gold)} gold occurrences "
        f"of {synth.gold['family'].nunique()} families -> {args.out} "
        f"({time.perf_counter() - began:.1f} s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
