"""Reading corpora: the sample corpus, every input kind, dates, and every kind of bad input."""

from __future__ import annotations

import csv
import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

from phrasedrift import schema
from phrasedrift.corpus import Corpus, decode, find_date, load_corpus, parse_date
from phrasedrift.errors import CorpusError, CorpusWarning

from .conftest import ROOT


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def load_quietly(source: object, **options: object) -> Corpus:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        return load_corpus(source, **options)  # type: ignore[arg-type]


# --- the sample corpus -----------------------------------------------------------------------


def test_sample_corpus_has_the_manifest_dates_and_sources(sample_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", CorpusWarning)
        corpus = load_corpus(sample_path)
    schema.check(corpus.documents, "documents", stage="test")
    assert len(corpus) == 5
    assert corpus.problems.empty
    manifest = pd.read_csv(ROOT / "tests" / "data" / "seed-manifest.csv")
    docs = corpus.documents.set_index("doc_id")
    for row in manifest.itertuples():
        doc = docs.loc[row.file.removesuffix(".txt")]
        assert doc["source"] == row.source
        assert doc["date"] == pd.Timestamp(row.date)
        assert doc["date_basis"] == row.date_basis
    assert docs.loc["003_ea2461e2e1cff537", "title"].startswith("Senior U.S. Officials")
    # the text is the article below the front matter
    assert not any(text.startswith("---") for text in corpus.documents["text"])


def test_documents_are_sorted_by_doc_id_whatever_the_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "c/d.txt"):
        write(tmp_path, name, f"Text of {name}.")
    corpus = load_corpus(tmp_path)
    assert corpus.documents["doc_id"].tolist() == ["a", "b", "c/d"]
    assert corpus.root == tmp_path


# --- input kinds -----------------------------------------------------------------------------


def test_front_matter_metadata_and_extra_keys(tmp_path: Path) -> None:
    write(
        tmp_path,
        "one.md",
        "---\noutlet: Wire\ndate: 2021-05-12\ntitle: T\nurl: http://x\nparty: D\n---\nBody.\n",
    )
    doc = load_corpus(tmp_path).documents.iloc[0]
    assert (doc["source"], doc["title"], doc["url"], doc["party"]) == ("Wire", "T", "http://x", "D")
    assert doc["date"] == pd.Timestamp("2021-05-12")
    assert doc["date_basis"] == "front matter"
    assert doc["text"] == "Body.\n"


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    body = " ".join(["The secretary reaffirmed ironclad support for Israel's security."] * 5)
    write(
        tmp_path,
        "page.html",
        "<html><head><title>Readout</title>"
        '<meta property="og:site_name" content="State Department">'
        '<meta name="date" content="2021-05-12"></head><body>'
        "<nav>Home | About | Contact</nav>"
        f"<article><h1>Readout of the call</h1><p>{body}</p><p>{body}</p></article>"
        "<footer>Privacy policy</footer></body></html>",
    )
    doc = load_corpus(tmp_path).documents.iloc[0]
    assert "ironclad support" in doc["text"]
    assert "Privacy policy" not in doc["text"]
    assert doc["source"] == "State Department"
    assert doc["date"] == pd.Timestamp("2021-05-12")
    assert doc["date_basis"] == "html metadata"


@pytest.mark.parametrize("kind", ["csv", "jsonl", "parquet"])
def test_manifests(tmp_path: Path, kind: str) -> None:
    frame = pd.DataFrame(
        {
            "id": ["s1", "s2"],
            "text": ["First statement.", "Second statement."],
            "outlet": ["A", "B"],
            "date": ["2021-05-11", "May 12, 2021"],
        }
    )
    path = tmp_path / f"m.{kind}"
    if kind == "csv":
        frame.to_csv(path, index=False)
    elif kind == "jsonl":
        frame.to_json(path, orient="records", lines=True)
    else:
        frame.to_parquet(path)
    docs = load_corpus(path).documents
    assert docs["doc_id"].tolist() == ["s1", "s2"]
    assert docs["source"].tolist() == ["A", "B"]
    assert docs["date"].tolist() == [pd.Timestamp("2021-05-11"), pd.Timestamp("2021-05-12")]
    assert set(docs["date_basis"]) == {"manifest"}


def test_custom_text_column_and_generated_ids(tmp_path: Path) -> None:
    write(tmp_path, "m.csv", "body,source\nHello there.,X\nGeneral Kenobi.,Y\n")
    docs = load_corpus(tmp_path / "m.csv", text_column="body").documents
    assert docs["doc_id"].tolist() == ["m-1", "m-2"]
    assert docs["path"].tolist() == [f"{tmp_path / 'm.csv'}#1", f"{tmp_path / 'm.csv'}#2"]


def test_dataframe_input_is_not_mutated() -> None:
    frame = pd.DataFrame({"text": ["One.", "Two."], "date": ["2020-01-02", None]})
    before = frame.copy()
    corpus = load_corpus(frame, name="mine")
    pd.testing.assert_frame_equal(frame, before)
    assert corpus.name == "mine"
    assert corpus.documents["date_basis"].tolist() == ["given", "none"]
    assert corpus.undated["doc_id"].tolist() == ["doc-2"]


def test_sidecar_manifest_gives_metadata_to_files(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Alpha text.")
    write(tmp_path, "b.txt", "---\nsource: Own\n---\nBeta text.")
    with (tmp_path / "manifest.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "source", "date"])
        writer.writerow(["a.txt", "Side", "2020-03-04"])
        writer.writerow(["b.txt", "Side", "2020-03-05"])
    docs = load_corpus(tmp_path).documents.set_index("doc_id")
    assert docs.loc["a", "source"] == "Side"
    assert docs.loc["b", "source"] == "Own"  # the document's own front matter wins
    assert docs.loc["a", "date"] == pd.Timestamp("2020-03-04")
    assert docs.loc["a", "date_basis"] == "manifest"


def test_seed_folder_with_its_manifest_reads_like_the_sample(sample_path: Path) -> None:
    seeds = ROOT.parent / "shared" / "seeds"
    if not seeds.exists():
        pytest.skip("../shared/seeds is not beside this checkout")
    a = load_corpus(seeds).documents
    b = load_corpus(sample_path).documents
    cols = ["doc_id", "source", "date", "date_basis", "text"]
    pd.testing.assert_frame_equal(a[cols], b[cols])


def test_reserved_and_hidden_files_are_not_documents(tmp_path: Path) -> None:
    write(tmp_path, "doc.txt", "A document.")
    write(tmp_path, "watch.txt", "ironclad support")
    write(tmp_path, "roster.yaml", "- name: X")
    write(tmp_path, "README.md", "About this corpus.")
    write(tmp_path, ".hidden.txt", "Hidden.")
    corpus = load_corpus(tmp_path)
    assert corpus.documents["doc_id"].tolist() == ["doc"]
    assert corpus.problems.empty


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "path", "date", "basis"),
    [
        (" date 2021-05-12 US Secretary of State spoke.", "x.txt", "2021-05-12", "date line"),
        ("Published: May 12, 2021\nText.", "x.txt", "2021-05-12", "date line"),
        ("WASHINGTON, May 12, 2021 — The Secretary said.", "x.txt", "2021-05-12", "dateline"),
        ("GAZA CITY, 12 May 2021 (AP) — Text.", "x.txt", "2021-05-12", "dateline"),
        (
            "WASHINGTON (Reuters) - No date here.",
            "2021-05-13-briefing.txt",
            "2021-05-13",
            "file name",
        ),
        ("Nothing.", "briefing_20210514.txt", "2021-05-14", "file name"),
        ("Nothing.", "000_d7d61aeda3016b93.txt", None, "none"),
        ("WASHINGTON – Senior officials spoke.", "x.txt", None, "none"),
    ],
)
def test_find_date(text: str, path: str, date: str | None, basis: str) -> None:
    stamp, found_basis = find_date(text, path)
    assert found_basis == basis
    assert stamp == (pd.Timestamp(date) if date else None)


def test_parse_date_forms() -> None:
    assert parse_date("2021-05-12T23:30:00+02:00") == pd.Timestamp("2021-05-12")
    assert parse_date("12 May 2021") == pd.Timestamp("2021-05-12")
    assert parse_date("May 12") is None  # no year: not a date we can place
    assert parse_date("soon") is None


def test_undated_documents_are_kept_and_listed(tmp_path: Path) -> None:
    write(tmp_path, "2021-01-02-dated.txt", "Dated by name.")
    write(tmp_path, "undated.txt", "No date anywhere.")
    corpus = load_corpus(tmp_path)
    assert len(corpus) == 2
    assert corpus.undated["doc_id"].tolist() == ["undated"]
    assert corpus.undated["date_basis"].tolist() == ["none"]


# --- bad input: each names the file and the problem; the rest of the corpus is kept ----------


def problem_for(corpus: Corpus, name: str) -> str:
    rows = corpus.problems[corpus.problems["path"].str.contains(name, regex=False)]
    assert len(rows) == 1, corpus.problems
    return f"{rows.iloc[0]['problem']}; {rows.iloc[0]['action']}"


def test_empty_file(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", "Good text.")
    write(tmp_path, "empty.txt", "  \n")
    with pytest.warns(CorpusWarning, match=r"empty\.txt: empty file; skipped"):
        corpus = load_corpus(tmp_path)
    assert corpus.documents["doc_id"].tolist() == ["good"]
    assert "empty file" in problem_for(corpus, "empty.txt")


def test_binary_file(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", "Good text.")
    write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20)
    with pytest.warns(CorpusWarning, match=r"image\.txt: binary file"):
        corpus = load_corpus(tmp_path)
    assert corpus.documents["doc_id"].tolist() == ["good"]


def test_cp1252_file_is_read_with_a_warning(tmp_path: Path) -> None:
    text = "The Secretary\u2019s \u201cironclad\u201d support \u2013 caf\u00e9 na\u00efve r\u00e9sum\u00e9."
    write(tmp_path, "old.txt", text.encode("cp1252"))
    with pytest.warns(CorpusWarning, match=r"old\.txt: not UTF-8: read as"):
        corpus = load_corpus(tmp_path)
    assert corpus.documents.iloc[0]["text"] == text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_file_with_and_without_bom(tmp_path: Path, encoding: str) -> None:
    text = "Israel has the right to defend itself, Price said. Gaza \u2014 \u05e2\u05d6\u05d4"
    write(tmp_path, "wide.txt", text.encode(encoding))
    with pytest.warns(CorpusWarning, match=r"wide\.txt: not UTF-8: read as utf-16"):
        corpus = load_corpus(tmp_path)
    assert corpus.documents.iloc[0]["text"] == text


def test_invalid_front_matter_keeps_the_text(tmp_path: Path) -> None:
    write(tmp_path, "bad.md", "---\ntitle: [unclosed\ndate: 2021-05-12\n---\nThe body stays.\n")
    with pytest.warns(CorpusWarning, match=r"bad\.md: invalid YAML front matter at line \d+"):
        corpus = load_corpus(tmp_path)
    assert corpus.documents.iloc[0]["text"] == "The body stays.\n"


def test_front_matter_that_is_not_a_mapping(tmp_path: Path) -> None:
    write(tmp_path, "list.md", "---\n- a\n- b\n---\nBody.\n")
    with pytest.warns(CorpusWarning, match=r"list\.md: front matter is a list"):
        corpus = load_corpus(tmp_path)
    assert len(corpus) == 1


def test_unsafe_yaml_is_not_constructed(tmp_path: Path) -> None:
    write(
        tmp_path, "evil.md", "---\ntitle: !!python/object/apply:os.system ['echo hi']\n---\nBody."
    )
    with pytest.warns(CorpusWarning, match=r"evil\.md: invalid YAML front matter"):
        corpus = load_corpus(tmp_path)
    assert corpus.documents.iloc[0]["title"] is pd.NA


def test_unparseable_date_falls_back_and_says_so(tmp_path: Path) -> None:
    write(tmp_path, "2021-05-12-x.txt", "---\ndate: last Tuesday-ish\n---\nText.")
    write(tmp_path, "y.txt", "---\ndate: not a date\n---\nText.")
    with pytest.warns(CorpusWarning) as record:
        corpus = load_corpus(tmp_path)
    messages = [str(w.message) for w in record]
    assert any(
        "2021-05-12-x.txt: unparseable date 'last Tuesday-ish'; dated from the file name instead"
        in m
        for m in messages
    )
    assert any("y.txt: unparseable date 'not a date'; left undated" in m for m in messages)
    docs = corpus.documents.set_index("doc_id")
    assert docs.loc["2021-05-12-x", "date"] == pd.Timestamp("2021-05-12")
    assert docs.loc["2021-05-12-x", "date_basis"] == "file name"
    assert pd.isna(docs.loc["y", "date"])


def test_missing_text_column_in_a_manifest_file(tmp_path: Path) -> None:
    write(tmp_path, "m.csv", "title,source\nA,B\n")
    with pytest.raises(CorpusError, match=r"m\.csv: no 'text' column .*columns: title, source"):
        load_corpus(tmp_path / "m.csv")


def test_missing_text_column_in_a_dataframe() -> None:
    with pytest.raises(CorpusError, match=r"<DataFrame>: no 'text' column"):
        load_corpus(pd.DataFrame({"body": ["x"]}))


def test_manifest_without_text_in_a_folder_is_skipped_with_a_warning(tmp_path: Path) -> None:
    write(tmp_path, "doc.txt", "Text.")
    write(tmp_path, "meta.csv", "title,source\nA,B\n")
    with pytest.warns(CorpusWarning, match=r"meta\.csv: no 'text' column"):
        corpus = load_corpus(tmp_path)
    assert corpus.documents["doc_id"].tolist() == ["doc"]


def test_manifest_rows_without_text_and_bad_json_lines(tmp_path: Path) -> None:
    lines = [json.dumps({"text": "Kept."}), "{not json", json.dumps({"text": ""}), "[1, 2]"]
    write(tmp_path, "m.jsonl", "\n".join(lines))
    with pytest.warns(CorpusWarning) as record:
        corpus = load_corpus(tmp_path / "m.jsonl")
    messages = " | ".join(str(w.message) for w in record)
    assert "line(s) 2, 4 are not JSON objects" in messages
    assert "m.jsonl#2: no text in this row; skipped" in messages
    assert corpus.documents["text"].tolist() == ["Kept."]


def test_folder_with_no_documents(tmp_path: Path) -> None:
    write(tmp_path, "notes.pdf", b"%PDF-1.4")
    with (
        pytest.raises(CorpusError, match=r"no documents found"),
        pytest.warns(CorpusWarning, match=r"notes\.pdf: not a document type \(\.pdf\)"),
    ):
        load_corpus(tmp_path)
    (tmp_path / "empty_dir").mkdir()
    with pytest.raises(CorpusError, match=r"empty_dir: no documents found; looked for \.txt"):
        load_corpus(tmp_path / "empty_dir")


def test_folder_whose_every_file_is_bad(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "")
    with (
        pytest.raises(CorpusError, match=r"no documents found \(1 file\(s\) or row\(s\) skipped"),
        pytest.warns(CorpusWarning),
    ):
        load_corpus(tmp_path)


def test_path_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"nowhere: no such file or folder"):
        load_corpus(tmp_path / "nowhere")


def test_unknown_single_file_type(tmp_path: Path) -> None:
    path = write(tmp_path, "doc.pdf", b"%PDF")
    with pytest.raises(CorpusError, match=r"doc\.pdf: not a corpus file type"):
        load_corpus(path)


def test_duplicate_ids_in_a_manifest_are_renamed(tmp_path: Path) -> None:
    write(tmp_path, "m.csv", "id,text\nx,One.\nx,Two.\n")
    with pytest.warns(CorpusWarning, match=r"doc_id 'x' is used twice; renamed 'x~2'"):
        docs = load_corpus(tmp_path / "m.csv").documents
    assert docs["doc_id"].tolist() == ["x", "x~2"]


def test_a_renamed_id_never_takes_an_id_that_a_document_has(tmp_path: Path) -> None:
    write(tmp_path, "m.csv", "id,text\nx,One.\nx,Two.\nx~2,Three.\nx,Four.\n")
    with pytest.warns(CorpusWarning, match=r"renamed 'x~3'"):
        docs = load_corpus(tmp_path / "m.csv").documents
    assert sorted(docs["doc_id"]) == ["x", "x~2", "x~3", "x~4"]
    assert docs.set_index("doc_id").loc["x~2", "text"].startswith("Three")


def test_a_bad_file_never_loses_the_good_ones(tmp_path: Path) -> None:
    for i in range(5):
        write(tmp_path, f"good{i}.txt", f"Good document number {i}.")
    write(tmp_path, "empty.txt", "")
    write(tmp_path, "binary.txt", bytes(range(256)) * 4)
    write(tmp_path, "badyaml.md", "---\n: :\n  - [\n---\nStill here.")
    write(tmp_path, "m.csv", "id,text\n")
    corpus = load_quietly(tmp_path)
    assert set(corpus.documents["doc_id"]) == {*(f"good{i}" for i in range(5)), "badyaml"}
    assert len(corpus.problems) == 4


def test_decode_rejects_random_bytes_with_nul() -> None:
    with pytest.raises(Exception, match="binary"):
        decode(bytes([0, 1, 2, 3, 200, 0, 7, 0, 9]) * 10)
