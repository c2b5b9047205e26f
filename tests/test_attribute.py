"""Attribution of formula occurrences: invented sentences, one rule of reported speech each."""

from __future__ import annotations

import pandas as pd
import pytest

from phrasedrift import schema
from phrasedrift.attribute import attribute_occurrences
from phrasedrift.clean import clean_documents
from phrasedrift.corpus import load_corpus
from phrasedrift.errors import SchemaError
from phrasedrift.roster import Roster, parse_roster
from phrasedrift.tokens import tokenize

ROSTER = parse_roster(
    """
people:
  - name: Maria Okonkwo
    organisation: Foreign Ministry
    titles:
      - title: Foreign Minister
        aliases: [Minister]
        from: 2020-01-01
  - name: Tomas Lindqvist
    titles:
      - title: Foreign Minister
        to: 2019-12-31
  - name: Daniel Ferreira
    organisation: Foreign Ministry
    titles: [Spokesperson]
organisations:
  - name: Foreign Ministry
    aliases: [the Foreign Ministry, Ministry of Foreign Affairs]
"""
)


def frames(texts: list[str], date: str = "2021-03-04") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean documents d0, d1, ... of ``texts`` and their sentences."""
    raw = pd.DataFrame(
        {"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts, "date": date}
    )
    documents = clean_documents(load_corpus(raw).documents).documents
    sentences, _ = tokenize(documents)
    return documents, sentences


def occurrences_of(
    documents: pd.DataFrame, spans: list[tuple[str, str, int]], family: str = "f"
) -> pd.DataFrame:
    """Occurrences of each (doc_id, formula text, nth) in the documents' clean text."""
    texts = documents.set_index("doc_id")["text"]
    rows = []
    for doc_id, formula, nth in spans:
        text = str(texts[doc_id])
        start = -1
        for _ in range(nth):
            start = text.index(formula, start + 1)
        rows.append(
            {
                "family_id": family,
                "variant": formula.lower(),
                "surface": formula,
                "doc_id": doc_id,
                "sent_id": 0,
                "start": start,
                "end": start + len(formula),
                "date": documents.set_index("doc_id").at[doc_id, "date"],
                "source": "S",
                "phrase": formula.lower(),
                "how": "core",
                "score": 1.0,
            }
        )
    return schema.coerce(pd.DataFrame(rows), "occurrences")


def attribute(
    text: str, formula: str, *, nth: int = 1, roster: Roster | None = None
) -> tuple[str, str, str]:
    """(principal, speaker, mode) of the ``nth`` ``formula`` in ``text``."""
    documents, sentences = frames([text])
    occurrences = occurrences_of(documents, [("d0", formula, nth)])
    row = attribute_occurrences(occurrences, documents, sentences, roster=roster).iloc[0]
    return str(row["principal"]), str(row["speaker"]), str(row["mode"])


def test_columns_are_added_and_the_input_is_left_alone() -> None:
    documents, sentences = frames(["Foreign Minister Maria Okonkwo said peace must prevail."])
    occurrences = occurrences_of(documents, [("d0", "peace must prevail", 1)])
    before = occurrences.copy()
    out = attribute_occurrences(occurrences, documents, sentences)
    schema.check(out, "occurrences", stage="test")
    assert list(out.columns[-3:]) == ["principal", "speaker", "mode"]
    assert out.index.equals(occurrences.index)
    pd.testing.assert_frame_equal(occurrences, before)


def test_no_occurrences_gives_empty_columns() -> None:
    documents, sentences = frames(["Nothing was said."])
    out = attribute_occurrences(schema.empty("occurrences"), documents, sentences)
    assert out.empty and {"principal", "speaker", "mode"} <= set(out.columns)


def test_an_occurrence_of_an_unknown_document_is_named() -> None:
    documents, sentences = frames(["Foreign Minister Maria Okonkwo said peace must prevail."])
    occurrences = occurrences_of(documents, [("d0", "peace must prevail", 1)])
    with pytest.raises(SchemaError, match="absent from documents: elsewhere"):
        attribute_occurrences(occurrences.assign(doc_id="elsewhere"), documents, sentences)
    with pytest.raises(SchemaError, match="lacks column"):
        attribute_occurrences(occurrences.drop(columns="start"), documents, sentences)
