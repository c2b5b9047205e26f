"""Bad input and hostile text (issue 6, item 5): nothing crashes, nothing is lost, nothing from
the corpus is executed or interpreted, and the report stays inside its folder."""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import sys
import tempfile
import warnings
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import phrasedrift as pdr
from phrasedrift.clean import clean_documents
from phrasedrift.errors import CorpusWarning, ReportError, RosterError
from phrasedrift.pipeline import Result
from phrasedrift.report import render as render_module
from phrasedrift.roster import load_roster
from phrasedrift.tokens import tokenize

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "gaza-2021-2023"
BENCH = ROOT / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import synth  # noqa: E402

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)  # fmt: skip


# -- helpers -----------------------------------------------------------------------------------


def load(source: Any, **options: Any) -> pdr.Corpus:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CorpusWarning)
        return pdr.load_corpus(source, **options)


def assert_offsets_valid(documents: pd.DataFrame) -> None:
    """Clean and tokenize ``documents``; every sentence and token slices the clean text to
    itself, in order and inside its sentence."""
    cleaned = clean_documents(documents)
    assert list(cleaned.documents["doc_id"]) == list(documents["doc_id"])
    sentences, tokens = tokenize(cleaned.documents)
    texts = dict(zip(cleaned.documents["doc_id"], cleaned.documents["text"], strict=True))
    spans: dict[tuple[str, int], tuple[int, int]] = {}
    for doc_id, sent_id, start, end, text in sentences[
        ["doc_id", "sent_id", "start", "end", "text"]
    ].itertuples(index=False):
        clean = texts[doc_id]
        assert 0 <= start < end <= len(clean)
        assert clean[start:end] == text
        spans[(doc_id, sent_id)] = (start, end)
    for doc_id, sent_id, start, end, token in tokens[
        ["doc_id", "sent_id", "start", "end", "token"]
    ].itertuples(index=False):
        clean = texts[str(doc_id)]
        assert 0 <= start < end <= len(clean)
        assert clean[start:end] == token
        s_start, s_end = spans[(str(doc_id), sent_id)]
        assert s_start <= start and end <= s_end


GOOD = {
    "a-good.txt": "The minister said the talks in Cairo would continue next week.",
    "b-good.md": "---\nsource: Wire\ndate: 2021-05-12\n---\nOfficials called for a sustainable calm.",
    "z-good.txt": "Aid convoys reached the border crossing on Tuesday morning.",
}

#: Characters that break naive text handling: combining marks, RTL and bidi controls,
#: zero-width characters, emoji with modifiers and joiners, line and paragraph separators.
NASTY = [
    "e\u0301", "\u0301\u0301\u0301", "\u05e9\u05dc\u05d5\u05dd", "\u0633\u0644\u0627\u0645",
    "\u202e", "\u202d", "\u2066", "\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad", "\u2028",
    "\u2029", "\U0001f600", "\U0001f44d\U0001f3fd", "\U0001f1ee\U0001f1f1",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\x00", "\x1b[31m", "\r", "\r\n", "\t",
    ". ", "U.S. ", "Gen. ", "...", "\u201c", "\u201d", "\ufffd", "Ã©", "&amp;", "---\n",
]  # fmt: skip
hostile_text = st.lists(
    st.one_of(st.sampled_from(NASTY), st.text(max_size=12), st.sampled_from(["word ", "Word. "])),
    max_size=60,
).map("".join)
#: Text that a str can hold but UTF-8 cannot encode: lone surrogates.
with_surrogates = st.lists(
    st.one_of(hostile_text, st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)),
    min_size=1,
    max_size=6,
).map("".join)

hostile_bytes = st.one_of(
    st.binary(max_size=3000),
    hostile_text.map(lambda t: t.encode("utf-8")),
    with_surrogates.map(lambda t: t.encode("utf-8", "surrogatepass")),
    hostile_text.map(lambda t: t.encode("utf-16")),
    hostile_text.map(lambda t: t.encode("utf-16-le")),
    hostile_text.map(lambda t: t.encode("cp1252", "replace")),
    st.tuples(st.binary(max_size=50), hostile_text).map(lambda p: p[0] + p[1].encode()),
)


# -- ingestion, cleaning, tokens ------------------------------------------------------------------


@FUZZ
@given(
    data=hostile_bytes,
    suffix=st.sampled_from([".txt", ".md", ".csv", ".jsonl", ".bin", ""]),
)
def test_one_hostile_file_never_costs_the_good_ones_and_is_never_silently_dropped(
    data: bytes, suffix: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, text in GOOD.items():
            (root / name).write_text(text, "utf-8")
        bad = f"m-hostile{suffix}"
        (root / bad).write_bytes(data)
        corpus = load(root)
    docs = corpus.documents
    for text in GOOD.values():
        body = text.split("---\n")[-1]
        assert body in set(docs["text"]), body
    from_bad = docs[docs["path"].str.startswith(bad)]
    reported = corpus.problems[corpus.problems["path"].str.startswith(bad)]
    assert len(from_bad) + len(reported) > 0, "the hostile file was dropped without a word"
    assert len(docs) == len(GOOD) + len(from_bad)
    assert_offsets_valid(docs)


@FUZZ
@given(texts=st.lists(with_surrogates, min_size=1, max_size=4))
def test_a_dataframe_of_hostile_unicode_is_read_cleaned_and_tokenized(texts: list[str]) -> None:
    frame = pd.DataFrame(
        {
            "doc_id": pd.Series([f"d{i}" for i in range(len(texts) + 1)], dtype=object),
            "text": pd.Series([*texts, "A good document stays."], dtype=object),
        }
    )
    corpus = load(frame)
    docs = corpus.documents.set_index("doc_id")
    assert docs.loc[f"d{len(texts)}", "text"] == "A good document stays."
    for i, text in enumerate(texts):
        doc_id = f"d{i}"
        if not text.strip():
            assert (corpus.problems["path"] == f"<DataFrame>#{i + 1}").any()
            continue
        kept = docs.loc[doc_id, "text"]
        kept.encode("utf-8")  # always valid Unicode once read
        if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
            assert (corpus.problems["path"] == f"<DataFrame>#{i + 1}").any()
        else:
            assert kept == text
    assert_offsets_valid(corpus.documents)


def test_a_jsonl_manifest_with_an_escaped_lone_surrogate_keeps_every_row(tmp_path: Path) -> None:
    rows = [
        {"id": "ok-1", "text": "Officials called for calm."},
        {"id": "broken", "text": "A tweet cut mid-emoji \ud83d here.", "title": "\udc00"},
        {"id": "ok-2", "text": "Talks resumed in Cairo."},
    ]
    manifest = tmp_path / "tweets.jsonl"
    manifest.write_text("\n".join(json.dumps(row) for row in rows), "ascii")  # \\ud83d escapes
    with pytest.warns(CorpusWarning, match="surrogate"):
        corpus = pdr.load_corpus(manifest)
    docs = corpus.documents.set_index("doc_id")
    assert list(docs.index) == ["broken", "ok-1", "ok-2"]
    assert docs.loc["broken", "text"] == "A tweet cut mid-emoji \ufffd here."
    assert docs.loc["broken", "title"] == "\ufffd"
    assert docs.loc["ok-1", "text"] == rows[0]["text"]
    assert corpus.problems["path"].str.endswith("tweets.jsonl#2").any()
    assert_offsets_valid(corpus.documents)


def test_a_surrogate_pair_left_in_two_halves_is_joined_not_lost() -> None:
    frame = pd.DataFrame({"text": pd.Series(["Smile \ud83d\ude00 please."], dtype=object)})
    corpus = load(frame)
    assert corpus.documents["text"].iloc[0] == "Smile \U0001f600 please."


def test_an_enormous_line_is_kept_whole_and_tokenized(tmp_path: Path) -> None:
    line = "Officials urged restraint and calm " * 30_000  # ~1 MB, no line break, no period
    (tmp_path / "long.txt").write_text(line, "utf-8")
    (tmp_path / "short.txt").write_text("A short one.", "utf-8")
    corpus = load(tmp_path)
    assert corpus.documents.set_index("doc_id").loc["long", "text"] == line
    assert_offsets_valid(corpus.documents)


def test_a_10_mb_document_is_read_and_cleaned_whole(tmp_path: Path) -> None:
    paragraph = " ".join(["The minister said the talks in Cairo would continue next week."] * 40)
    text = "\n\n".join([paragraph] * 4000)
    assert len(text.encode()) > 10_000_000
    (tmp_path / "huge.txt").write_text(text, "utf-8")
    (tmp_path / "small.txt").write_text("Aid convoys reached the border.", "utf-8")
    corpus = load(tmp_path)
    assert corpus.problems.empty
    docs = corpus.documents.set_index("doc_id")
    assert docs.loc["huge", "text"] == text
    cleaned = clean_documents(corpus.documents).documents.set_index("doc_id")
    assert cleaned.loc["huge", "text"] == text.strip()
    assert cleaned.loc["small", "text"] == "Aid convoys reached the border."


def test_thousands_of_tiny_documents_are_all_kept(tmp_path: Path) -> None:
    rng = random.Random(6)
    expected = {}
    for i in range(2000):
        text = rng.choice(["Calm.", "Yes", "\U0001f600", "e\u0301", "\u05e9", "1", "A b."])
        (tmp_path / f"tiny-{i:04d}.txt").write_text(text, "utf-8")
        expected[f"tiny-{i:04d}"] = text
    (tmp_path / "tiny-empty.txt").write_text(" \n", "utf-8")
    corpus = load(tmp_path)
    assert dict(zip(corpus.documents["doc_id"], corpus.documents["text"], strict=True)) == expected
    assert list(corpus.problems["path"]) == ["tiny-empty.txt"]
    assert_offsets_valid(corpus.documents)


# -- hostile text in the report -------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
TEMPLATE = "{{ 7*7 }}"
HOSTILE_PARAGRAPHS = [
    f"The spokesman posted {SCRIPT} on the embassy page.",
    "A reader pasted </textarea><b>bold</b> into the comment form.",
    'The site linked to <a href="javascript:alert(2)">the statement</a> for readers.',
    f"The template said {TEMPLATE} and {{% raw %}} in the margin.",
    "=cmd|' /C calc'!A0 was the first cell of the leaked sheet.",
]
#: Documents named and titled to attack the report: (file name, title).
HOSTILE_FILES = [
    ("=cmd.txt", "=cmd|' /C calc'!A0"),
    ("+plus.txt", f"+SUM(A1) {TEMPLATE} {SCRIPT}"),
    ("-minus.txt", "-2+3 </textarea> javascript:alert(3)"),
    ("@at.txt", "@SUM(A1) {% raw %}"),
]
FORMULA_START = ("=", "+", "-", "@")


class Page(HTMLParser):
    """Elements, attributes and text of a page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.texts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.texts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, dict[str, Path]]:
    root = tmp_path_factory.mktemp("hostile") / "corpus"
    shutil.copytree(SAMPLE, root)
    for path in sorted(root.glob("*.txt"))[:3]:
        path.write_text(path.read_text("utf-8") + "\n\n" + "\n\n".join(HOSTILE_PARAGRAPHS) + "\n")
    for name, title in HOSTILE_FILES:
        body = "\n\n".join(HOSTILE_PARAGRAPHS)
        (root / name).write_text(f"---\ntitle: {json.dumps(title)}\n---\n{body}\n", "utf-8")
    result = pdr.analyze(load(root))
    out = root.parent / "report"
    return result, pdr.render_report(result, out, formats=("html", "pdf", "csv"))


def test_hostile_text_became_families_and_documents(
    hostile_report: tuple[Result, dict[str, Path]],
) -> None:
    result, _ = hostile_report
    surfaces = " ".join(result.occurrences["surface"])
    assert "<script>alert" in surfaces and "javascript" in surfaces and "</textarea>" in surfaces
    titles = set(result.documents["title"].dropna())
    assert {title for _, title in HOSTILE_FILES} <= titles


def test_hostile_text_is_shown_as_text_in_the_html(
    hostile_report: tuple[Result, dict[str, Path]],
) -> None:
    result, paths = hostile_report
    html = paths["html"].read_text("utf-8")
    page = Page(html)
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert len(scripts) == 1 and not any(name == "src" for name, _ in scripts[0])  # ours
    assert not [tag for tag, _ in page.tags if tag in ("textarea", "b", "iframe", "object")]
    for tag, attrs in page.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, name, value)
    text = page.text
    for _, title in HOSTILE_FILES:
        assert " ".join(title.split()) in text, title
    variants = " ".join(result.occurrences["variant"].unique())
    assert "<script>" in text and "</textarea>" in text and "javascript" in text
    assert "script" in variants
    assert TEMPLATE in text and "{% raw %}" in text


def test_template_syntax_in_a_title_is_not_evaluated(
    hostile_report: tuple[Result, dict[str, Path]],
) -> None:
    _, paths = hostile_report
    page = Page(paths["html"].read_text("utf-8"))
    rows = [t for t in page.texts if "SUM(A1)" in t]
    assert rows, "the hostile titles are not in the page"
    assert all("49" not in row for row in rows)
    assert any(TEMPLATE in row for row in rows)


def test_hostile_text_is_shown_as_text_in_the_pdf(
    hostile_report: tuple[Result, dict[str, Path]],
) -> None:
    pypdf = pytest.importorskip("pypdf")
    _, paths = hostile_report
    if "pdf" not in paths:
        pytest.skip("WeasyPrint cannot be loaded here")
    reader = pypdf.PdfReader(paths["pdf"])
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    for needle in ("<script>alert(1)</script>", "=cmd|'/Ccalc'!A0", "{{7*7}}", "{%raw%}"):
        assert needle in text, needle
    assert "javascript" in text
    for page in reader.pages:  # no link annotation points at a script
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            assert not str(action.get("/URI", "")).lower().startswith("javascript:")
            assert action.get("/S") != "/JavaScript"


def test_csv_exports_neutralise_every_formula_cell(
    hostile_report: tuple[Result, dict[str, Path]],
) -> None:
    _, paths = hostile_report
    files = sorted(paths["csv"].glob("*.csv"))
    assert files
    seen = set()
    for path in files:
        rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
        header = rows[0]
        for row in rows[1:]:
            for name, cell in zip(header, row, strict=True):
                seen.add(cell)
                if cell.startswith(FORMULA_START):
                    try:
                        float(cell)  # a negative number in a numeric column stays a number
                    except ValueError:
                        pytest.fail(f"{path.name}: {name} = {cell!r} would run as a formula")
    for name, title in HOSTILE_FILES:
        assert "'" + title in seen, title
        assert "'" + Path(name).stem in seen, name  # doc ids from the file names


# -- output paths and atomic writes ---------------------------------------------------------------


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def small_result(doc_ids: list[str], titles: list[str]) -> Result:
    synthetic = synth.generate(len(doc_ids), seed=11).documents
    frame = synthetic.assign(
        doc_id=pd.Series(doc_ids, dtype=object), title=pd.Series(titles, dtype=object)
    )
    return pdr.analyze(load(frame))


def test_the_report_never_writes_outside_its_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    doc_ids = [
        "../../evil",
        "../report.html",
        str(outside / "absolute"),
        "nul\x00id",
        "csv/../../../escape",
        "x" * 5000,
        "/etc/passwd",
        "ok",
    ]
    titles = [f"../../{i}/title" for i in range(len(doc_ids) - 1)] + ["\x00" + "t" * 5000]
    result = small_result(doc_ids, titles)
    assert set(doc_ids) <= set(result.documents["doc_id"])
    out = tmp_path / "a" / "b" / "out"
    pdr.render_report(result, out, formats=("html", "csv"))
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert written, "nothing was written"
    assert all(name.startswith("a/b/out/") for name in written), written
    assert {name.removeprefix("a/b/out/") for name in written} == {
        "report.html",
        *(f"csv/{p.name}" for p in (out / "csv").iterdir()),
    }
    assert all(len(Path(name).name) < 100 for name in written)
    assert not outside.exists()


def test_a_failed_render_leaves_the_previous_report_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = small_result([f"first-{i}" for i in range(6)], [f"First {i}" for i in range(6)])
    second = small_result([f"second-{i}" for i in range(6)], [f"Second {i}" for i in range(6)])
    monkeypatch.setattr(render_module, "html_to_pdf", lambda html, *, base_url: b"%PDF-first")
    pdr.render_report(first, tmp_path, formats=("html", "pdf", "csv"))
    before = files_under(tmp_path)
    assert "report.pdf" in before and "report.html" in before and "csv/documents.csv" in before

    def broken_pdf(html: str, *, base_url: str) -> bytes:
        raise ReportError("the PDF writer failed mid-render")

    monkeypatch.setattr(render_module, "html_to_pdf", broken_pdf)
    with pytest.raises(ReportError, match="mid-render"):
        pdr.render_report(second, tmp_path, formats=("html", "pdf", "csv"))
    assert files_under(tmp_path) == before  # same files, same bytes, no temporary left


def test_a_write_that_fails_midway_leaves_the_previous_report_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = small_result([f"first-{i}" for i in range(6)], [f"First {i}" for i in range(6)])
    second = small_result([f"second-{i}" for i in range(6)], [f"Second {i}" for i in range(6)])
    pdr.render_report(first, tmp_path, formats=("html", "csv"))
    before = files_under(tmp_path)
    real_write = render_module.write_atomic
    calls = []

    def write_then_fail(path: Path, data: bytes) -> Path:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_write(path, data)

    monkeypatch.setattr(render_module, "write_atomic", write_then_fail)
    with pytest.raises(ReportError, match="No space left"):
        pdr.render_report(second, tmp_path, formats=("html", "csv"))
    assert files_under(tmp_path) == before


# -- YAML is parsed safely -------------------------------------------------------------------------

CONSTRUCTED: list[str] = []


class Trap:
    """Records every construction: an unsafe YAML loader would build one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        CONSTRUCTED.append("init")

    def __setstate__(self, state: Any) -> None:
        CONSTRUCTED.append("setstate")


UNSAFE_TAGS = [
    f"!!python/object:{__name__}.Trap {{a: 1}}",
    f"!!python/object/new:{__name__}.Trap [1]",
    f"!!python/object/apply:{__name__}.Trap []",
    "!!python/name:os.system",
    "!!python/module:os",
]


@pytest.mark.parametrize("tag", UNSAFE_TAGS)
def test_front_matter_tags_are_rejected_naming_the_file(tmp_path: Path, tag: str) -> None:
    CONSTRUCTED.clear()
    (tmp_path / "evil.md").write_text(f"---\ntitle: {tag}\nsource: X\n---\nThe body.", "utf-8")
    (tmp_path / "good.txt").write_text("A good document.", "utf-8")
    with pytest.warns(CorpusWarning, match=r"evil\.md: invalid YAML front matter"):
        corpus = pdr.load_corpus(tmp_path)
    assert CONSTRUCTED == []
    docs = corpus.documents.set_index("doc_id")
    assert (
        docs.loc["evil", "text"] == "The body." and docs.loc["good", "text"] == "A good document."
    )
    assert docs["title"].isna().all()


@pytest.mark.parametrize("tag", UNSAFE_TAGS)
def test_roster_tags_are_rejected_naming_the_file(tmp_path: Path, tag: str) -> None:
    CONSTRUCTED.clear()
    roster = tmp_path / "roster.yaml"
    roster.write_text(f"- name: Antony Blinken\n  title: {tag}\n", "utf-8")
    with pytest.raises(RosterError, match=rf"{roster}: .*invalid YAML"):
        load_roster(roster)
    (tmp_path / "doc.txt").write_text("Secretary Blinken urged calm.", "utf-8")
    with pytest.raises(RosterError, match=r"roster\.yaml"):
        pdr.analyze(tmp_path)
    assert CONSTRUCTED == []


# -- determinism -----------------------------------------------------------------------------------


def tables(result: Result) -> dict[str, pd.DataFrame]:
    return {
        name: getattr(result, name).reset_index(drop=True)
        for name in ("documents", "families", "occurrences")
    }


def assert_same_tables(left: Result, right: Result, *, ignore: tuple[str, ...] = ()) -> None:
    for name, frame in tables(left).items():
        other = tables(right)[name]
        drop = [c for c in ignore if c in frame.columns]
        pd.testing.assert_frame_equal(frame.drop(columns=drop), other.drop(columns=drop), obj=name)


def test_shuffled_dataframe_rows_give_identical_tables() -> None:
    documents = synth.generate(40, seed=5).documents
    reference = pdr.analyze(load(documents))
    assert len(reference.families) > 5
    shuffled = documents.sample(frac=1, random_state=2).reset_index(drop=True)
    assert list(shuffled["doc_id"]) != list(documents["doc_id"])
    # ``path`` of a DataFrame row is its position ("<DataFrame>#7"): where it came from
    assert_same_tables(reference, pdr.analyze(load(shuffled)), ignore=("path",))


def test_files_written_in_another_order_give_identical_tables(tmp_path: Path) -> None:
    documents = synth.generate(30, seed=8).documents
    results = []
    for order, rows in (("forward", documents), ("backward", documents.iloc[::-1])):
        root = tmp_path / order / "corpus"
        root.mkdir(parents=True)
        for row in rows.itertuples(index=False):
            meta = {"source": row.source, "date": row.date, "title": row.title}
            head = "".join(f"{k}: {json.dumps(v)}\n" for k, v in meta.items())
            (root / f"{row.doc_id}.txt").write_text(f"---\n{head}---\n{row.text}", "utf-8")
        results.append(pdr.analyze(root))
    assert_same_tables(*results)
