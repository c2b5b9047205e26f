"""The report: HTML (self-contained, well-formed, escaped), PDF, CSV exports, errors."""

from __future__ import annotations

import dataclasses
import importlib.abc
import io
import re
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pypdf import PdfReader

from phrasedrift import schema
from phrasedrift.config import Config, ReportConfig
from phrasedrift.errors import PhrasedriftWarning, ReportError, SchemaError
from phrasedrift.pipeline import Result
from phrasedrift.report import SECTIONS, neutralise_formula, render_html, render_report
from phrasedrift.report import render as render_module
from phrasedrift.report._files import write_atomic
from phrasedrift.report.sections import ReportContext
from phrasedrift.report.tables import csv_text

SCRIPT_TITLE = "Blinken urges <script>alert('pwned')</script> calm"
FORMULA_TITLE = '=HYPERLINK("http://evil.example","click")'
UNDATED_ID = "undated-001"
REMOVED_TEXT = "Follow us on Twitter for the latest updates"
DUPLICATE = ("aje-003", "aje-001")
CORPUS_NAME = "Gaza <sample> & co"


# -- fixtures ------------------------------------------------------------------------------------


def make_result(**changes: Any) -> Result:
    """Six documents from two sources: one undated, three removed lines, one near-duplicate,
    one loading problem."""
    documents = pd.DataFrame(
        {
            "doc_id": ["reuters-001", "reuters-002", "aje-001", "aje-002", "aje-003", UNDATED_ID],
            "path": [
                "reuters/001.txt",
                "reuters/002.txt",
                "aje/001.txt",
                "aje/002.txt",
                "aje/003.txt",
                "misc/undated.txt",
            ],
            "source": ["Reuters", "Reuters", "Al Jazeera", "Al Jazeera", "Al Jazeera", "Reuters"],
            "date": pd.to_datetime(
                ["2021-05-13", "2023-05-10", "2021-05-15", "2023-05-11", "2023-05-11", None]
            ),
            "date_basis": ["front matter", "dateline", "front matter", "file name", "text", "none"],
            "title": [
                SCRIPT_TITLE,
                "US reaffirms ironclad support",
                "Austin speaks with Gallant",
                FORMULA_TITLE,
                "Wire copy of the Austin call",
                "An undated statement",
            ],
            "url": ["https://example.org/1", "", "", "", "", ""],
            "text": ["Some text."] * 6,
            "n_removed": [2, 0, 1, 0, 0, 0],
            "duplicate_of": [None, None, None, None, DUPLICATE[1], None],
        }
    )
    problems = pd.DataFrame(
        {
            "path": ["misc/broken.pdf"],
            "problem": ["unsupported file type .pdf"],
            "action": ["skipped"],
        }
    )
    removed = pd.DataFrame(
        {
            "doc_id": ["reuters-001", "reuters-001", "aje-001"],
            "line": [7, 3, 12],
            "text": ["Advertisement", REMOVED_TEXT, "Read more: Young Gaza man mourns"],
            "rule": ["advertisement", "follow us", "read more"],
        }
    )
    duplicates = pd.DataFrame(
        {"doc_id": [DUPLICATE[0]], "duplicate_of": [DUPLICATE[1]], "similarity": [0.934]}
    )
    sentences = pd.DataFrame(
        {
            "doc_id": ["reuters-001"] * 3 + ["aje-001"] * 2 + [UNDATED_ID],
            "sent_id": [0, 1, 2, 0, 1, 0],
            "start": [0, 6, 12, 0, 6, 0],
            "end": [5, 11, 17, 5, 11, 5],
            "text": ["One.", "Two.", "Six.", "One.", "Two.", "One."],
        }
    )
    tokens = pd.DataFrame(
        {
            "doc_id": ["reuters-001"] * 7 + ["aje-001"] * 4,
            "sent_id": [0] * 11,
            "tok_id": [*range(7), *range(4)],
            "start": [0] * 11,
            "end": [1] * 11,
            "token": ["a"] * 11,
            "norm": ["a"] * 11,
        }
    )
    fields: dict[str, Any] = {
        "name": CORPUS_NAME,
        "documents": schema.coerce(documents, "documents"),
        "problems": schema.coerce(problems, "problems"),
        "removed": schema.coerce(removed, "removed"),
        "duplicates": schema.coerce(duplicates, "duplicates"),
        "sentences": schema.coerce(sentences, "sentences"),
        "tokens": schema.coerce(tokens, "tokens"),
        "config": Config(),
        "corpus_hash": "0123456789abcdef",
        "version": "9.8.7",
        "timings": {"corpus": 0.012, "clean": 0.034, "tokens": 0.5},
    }
    fields.update(changes)
    return Result(**fields)


def empty_result() -> Result:
    return make_result(
        documents=schema.empty("documents"),
        problems=schema.empty("problems"),
        removed=schema.empty("removed"),
        duplicates=schema.empty("duplicates"),
        sentences=schema.empty("sentences"),
        tokens=schema.empty("tokens"),
        timings={},
    )


@pytest.fixture(scope="module")
def result() -> Result:
    return make_result()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, result: Result) -> dict[str, Path]:
    """The full report (HTML, PDF, CSV) of the fixture, rendered once for the module."""
    return render_report(result, tmp_path_factory.mktemp("report") / "nested" / "out")


@pytest.fixture(scope="module")
def html(report: dict[str, Path]) -> str:
    return report["html"].read_text("utf-8")


@pytest.fixture(scope="module")
def tree(html: str) -> Node:
    return parse(html)


# -- a small HTML tree, built with the standard library -------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclasses.dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = dataclasses.field(default_factory=list)

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [
            node
            for node in self.iter()
            if (tag is None or node.tag == tag)
            and (cls is None or cls in node.attrs.get("class", "").split())
        ]

    def by_id(self, id_: str) -> Node:
        matches = [node for node in self.iter() if node.attrs.get("id") == id_]
        assert len(matches) == 1, f"{len(matches)} elements with id {id_!r}"
        return matches[0]

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def rows(self) -> list[list[str]]:
        """Cell texts of the body rows of the (first) table inside this node."""
        body = self.find_all("tbody")[0]
        return [
            [" ".join(td.text().split()) for td in tr.find_all("td")] for tr in body.find_all("tr")
        ]


class TreeBuilder(HTMLParser):
    """Builds a :class:`Node` tree and fails on any unbalanced or stray end tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.stack = [self.root]
        self.errors: list[str] = []
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.stack[-1].tag != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1].tag}> at {self.getpos()}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    assert not builder.errors, builder.errors[:5]
    assert [n.tag for n in builder.stack] == ["#root"], "unclosed elements"
    assert builder.doctype.lower() == "doctype html"
    return builder.root


def words(text: str) -> str:
    return " ".join(text.split())


# -- what is written -----------------------------------------------------------------------------


def test_every_format_is_written_into_a_created_folder(report: dict[str, Path]) -> None:
    assert set(report) == {"html", "pdf", "csv"}
    assert report["html"].name == "report.html" and report["html"].stat().st_size > 0
    assert report["pdf"].read_bytes().startswith(b"%PDF-")
    assert report["csv"].is_dir()
    out = report["html"].parent
    assert out.name == "out" and out.parent.name == "nested"
    leftovers = [p.name for p in out.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]
    assert leftovers == []


def test_html_is_well_formed_with_unique_ids_and_resolving_anchors(tree: Node) -> None:
    ids = [node.attrs["id"] for node in tree.iter() if "id" in node.attrs]
    assert len(ids) == len(set(ids)), "repeated ids"
    anchors = [
        value
        for node in tree.iter()
        for name, value in node.attrs.items()
        if name in ("href", "xlink:href") and value.startswith("#")
    ]
    assert anchors, "no internal links found"
    assert sorted({a[1:] for a in anchors} - set(ids)) == []
    # SVG references (clip paths, markers) point at ids that exist too
    references = {
        ref
        for node in tree.iter()
        for value in node.attrs.values()
        for ref in re.findall(r"url\(#([^)]+)\)", value)
    }
    assert references and references <= set(ids)


def test_html_is_self_contained(html: str, tree: Node) -> None:
    for node in tree.iter():
        assert "src" not in node.attrs, f"<{node.tag} src=...> loads something"
        for name in ("href", "xlink:href", "action", "data"):
            value = node.attrs.get(name)
            assert value is None or value.startswith("#"), f"<{node.tag} {name}={value!r}>"
        assert node.tag not in ("link", "iframe", "object", "embed", "img")
    styles = " ".join(n.text() for n in tree.find_all("style"))
    assert "@import" not in styles and "url(" not in styles
    assert "@font-face" not in styles
    scripts = tree.find_all("script")
    assert len(scripts) == 1 and "src" not in scripts[0].attrs
    # no address outside the file anywhere in an attribute (namespaces aside)
    for node in tree.iter():
        for name, value in node.attrs.items():
            if not name.startswith("xmlns"):
                assert "http://" not in value and "https://" not in value, (node.tag, name)


def test_every_section_is_in_the_page_and_in_the_contents_in_order(tree: Node) -> None:
    toc = tree.by_id("contents")
    links = [a.attrs["href"][1:] for a in toc.find_all("a")]
    section_ids = [s.id for s in SECTIONS]
    assert [i for i in links if i in section_ids] == section_ids
    headings = [words(h.text()) for h in tree.find_all("h2")]
    for section in SECTIONS:
        node = tree.by_id(section.id)
        assert node.tag == "section"
        assert section.title in headings
    for expected in ("Overview", "Documents", "Data quality", "Method"):
        assert expected in headings
    # sub-sections in the contents, in page order
    positions = {node.attrs["id"]: i for i, node in enumerate(tree.iter()) if "id" in node.attrs}
    assert [positions[i] for i in links] == sorted(positions[i] for i in links)


def test_title_block_names_corpus_version_hash_and_dates(tree: Node, result: Result) -> None:
    title = words(tree.find_all("header", "title-block")[0].text())
    assert CORPUS_NAME in title
    assert result.version in title and result.corpus_hash in title
    assert "13 May 2021" in title and "11 May 2023" in title


def test_overview_counts_match_the_result(tree: Node, result: Result) -> None:
    stats = {
        words(stat.find_all("dt")[0].text()): words(stat.find_all("dd")[0].text())
        for stat in tree.by_id("overview").find_all("div", "stat")
    }
    documents = result.documents
    assert stats["Documents"] == str(len(documents))
    assert stats["Sources"] == str(documents["source"].nunique())
    assert stats["Sentences"] == str(len(result.sentences))
    assert stats["Tokens"] == str(len(result.tokens))
    assert stats["Undated documents"] == str(int(documents["date"].isna().sum()))
    assert stats["Dated documents"] == str(int(documents["date"].notna().sum()))
    rows = tree.by_id("table-sources").rows()
    per_source = {row[0]: row[1] for row in rows}
    assert per_source == {name: str(n) for name, n in documents["source"].value_counts().items()}
    assert tree.by_id("figure-documents-over-time").find_all("svg")


def test_documents_table_lists_each_document_with_its_counts(tree: Node, result: Result) -> None:
    table = tree.by_id("table-documents")
    header = [words(th.text()) for th in table.find_all("th")]
    assert header[:3] == ["Document", "Source", "Date"]
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in table.rows()}
    assert set(rows) == set(result.documents["doc_id"])
    sentences = result.sentences.groupby("doc_id").size()
    tokens = result.tokens.groupby("doc_id").size()
    for doc_id, row in rows.items():
        assert row["Sentences"] == str(sentences.get(doc_id, 0))
        assert row["Tokens"] == str(tokens.get(doc_id, 0))
    assert rows[DUPLICATE[0]]["Duplicate of"] == DUPLICATE[1]
    assert rows[UNDATED_ID]["Date"] == "—"
    # numbers are right-aligned and sort as numbers
    numeric = [th for th in table.find_all("th") if th.attrs.get("data-type") == "number"]
    assert {words(th.text()) for th in numeric} >= {"Sentences", "Tokens"}
    assert all("num" in th.attrs["class"].split() for th in numeric)


def test_data_quality_lists_undated_problems_removed_and_duplicates(tree: Node) -> None:
    assert [row[0] for row in tree.by_id("table-undated").rows()] == [UNDATED_ID]
    assert tree.by_id("table-problems").rows() == [
        ["misc/broken.pdf", "unsupported file type .pdf", "skipped"]
    ]
    removed = tree.by_id("table-removed").rows()
    assert ["reuters-001", "3", "follow us", REMOVED_TEXT] in removed
    assert [r[:2] for r in removed] == [
        ["aje-001", "12"],
        ["reuters-001", "3"],
        ["reuters-001", "7"],
    ]
    by_rule = {row[0]: row[1:] for row in tree.by_id("table-removed-by-rule").rows()}
    assert by_rule["follow us"] == ["1", "1"]
    duplicates = tree.by_id("table-duplicates").rows()
    assert len(duplicates) == 1
    assert duplicates[0][0] == DUPLICATE[0] and duplicates[0][2] == DUPLICATE[1]
    assert duplicates[0][-1] == "0.934"


def test_method_lists_every_parameter_version_hash_and_timings(tree: Node, result: Result) -> None:
    method = tree.by_id("method")
    text = words(method.text())
    for stage, parameters in result.config.as_dict().items():
        assert stage in text
        for name in parameters:
            assert name in text, name
    assert result.version in text and result.corpus_hash in text
    timings = {row[0]: row[1] for row in tree.by_id("table-timings").rows()}
    assert timings == {"corpus": "0.012", "clean": "0.034", "tokens": "0.500"}


def test_untrusted_text_is_escaped(html: str, tree: Node) -> None:
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(" in html
    assert len(tree.find_all("script")) == 1
    titles = [row[4] for row in tree.by_id("table-documents").rows()]
    assert SCRIPT_TITLE in titles
    assert "<sample>" not in html and "&lt;sample&gt;" in html


def test_untrusted_names_are_escaped_in_the_plot_and_identifiers() -> None:
    result = make_result()
    documents = result.documents.copy()
    documents["source"] = documents["source"].replace({"Reuters": "<b onmouseover=x>Reuters"})
    documents.loc[0, "doc_id"] = "<i>doc</i>_1"  # identifiers get line-break points: still text
    page = render_html(dataclasses.replace(result, documents=documents))
    tree = parse(page)
    assert "<b onmouseover" not in page and "<i>" not in page
    svg_text = words(tree.by_id("figure-documents-over-time").text())
    assert "<b onmouseover=x>Reuters" in svg_text
    assert not tree.find_all("b") and not tree.find_all("i")
    assert "<i>doc</i>_1" in [row[0] for row in tree.by_id("table-documents").rows()]


def test_long_tables_are_cut_at_max_listed_with_a_note(tmp_path: Path, result: Result) -> None:
    paths = render_report(result, tmp_path, formats=("html", "csv"), max_listed=2)
    tree = parse(paths["html"].read_text("utf-8"))
    block = tree.by_id("table-documents")
    assert len(block.rows()) == 2
    note = words(block.find_all("p", "table-more")[0].text())
    assert "2 of 6 documents" in note and "4 more" in note and "csv/documents.csv" in note
    assert len(pd.read_csv(paths["csv"] / "documents.csv")) == 6

    tree = parse(render_html(result, max_listed=0))
    block = tree.by_id("table-documents")
    assert not block.find_all("table") and not block.find_all("p", "empty")
    assert "6 documents not listed" in words(block.find_all("p", "table-more")[0].text())


def test_max_listed_defaults_to_the_result_config(tmp_path: Path) -> None:
    result = make_result(config=Config(report=ReportConfig(formats=("html",), max_listed=1)))
    paths = render_report(result, tmp_path)
    assert set(paths) == {"html"}
    tree = parse(paths["html"].read_text("utf-8"))
    assert len(tree.by_id("table-documents").rows()) == 1
    note = words(tree.by_id("table-documents").find_all("p", "table-more")[0].text())
    assert "write the csv format" in note


def test_empty_tables_say_so(tmp_path: Path) -> None:
    result = make_result(
        problems=schema.empty("problems"),
        removed=schema.empty("removed"),
        duplicates=schema.empty("duplicates"),
    )
    documents = result.documents.copy()
    documents["date"] = documents["date"].fillna(pd.Timestamp("2022-01-01"))
    tree = parse(render_html(dataclasses.replace(result, documents=documents)))
    for table_id, sentence in [
        ("table-undated", "Every document has a date."),
        ("table-problems", "No problems were met while loading the corpus."),
        ("table-removed", "No lines were removed as boilerplate."),
        ("table-duplicates", "No near-duplicate documents were found."),
    ]:
        block = tree.by_id(table_id)
        assert not block.find_all("table")
        assert words(block.find_all("p", "empty")[0].text()) == sentence


def test_a_result_without_documents_still_renders(tmp_path: Path) -> None:
    paths = render_report(empty_result(), tmp_path, formats=("html", "csv"))
    tree = parse(paths["html"].read_text("utf-8"))
    assert "The corpus has no documents." in words(tree.by_id("documents").text())
    assert "no dated documents" in words(tree.find_all("header")[0].text())
    assert pd.read_csv(paths["csv"] / "documents.csv").empty


# -- PDF -----------------------------------------------------------------------------------------


def test_pdf_has_the_sections_corpus_name_and_page_numbers(report: dict[str, Path]) -> None:
    reader = PdfReader(report["pdf"])
    pages = [page.extract_text() or "" for page in reader.pages]
    text = words(" ".join(pages))
    assert len(pages) >= 3
    for section in SECTIONS:
        assert section.title in text
    assert CORPUS_NAME in text
    assert f"page 1 of {len(pages)}" in text and f"page {len(pages)} of {len(pages)}" in text
    # the header of later pages names the corpus; the contents gives page numbers
    assert CORPUS_NAME in pages[-1]
    assert re.search(r"Method\s*\.*\s*\d+", pages[0])


def _fail_to_import_weasyprint(monkeypatch: pytest.MonkeyPatch, error: type[Exception]) -> None:
    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, *args: Any, **kwargs: Any) -> None:
            if name == "weasyprint" or name.startswith("weasyprint."):
                raise error("cannot load library 'libpango-1.0-0': No such file or directory")
            return None

    for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [Finder(), *sys.meta_path])


@pytest.mark.parametrize("error", [OSError, ImportError])
def test_missing_pango_still_writes_html_and_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, result: Result, error: type[Exception]
) -> None:
    _fail_to_import_weasyprint(monkeypatch, error)
    with pytest.warns(PhrasedriftWarning) as record:
        paths = render_report(result, tmp_path, formats=("pdf", "csv"))
    message = str(record[0].message)
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in message
    assert "https://doc.courtbouillon.org/weasyprint/stable/first_steps.html" in message
    assert "report.html" in message
    assert set(paths) == {"html", "csv"}
    assert not (tmp_path / "report.pdf").exists()
    parse(paths["html"].read_text("utf-8"))


# -- CSV -----------------------------------------------------------------------------------------


def test_every_table_of_the_report_is_exported(report: dict[str, Path], result: Result) -> None:
    context = ReportContext(result=result, max_listed=200)
    exported = {
        table.csv_name
        for section in SECTIONS
        for table in section.build(context).tables.values()
        if table.export
    }
    assert exported >= {
        f"{name}.csv"
        for name in ("documents", "sources", "undated", "problems", "removed", "duplicates")
    } | {"removed-by-rule.csv", "parameters.csv", "timings.csv"}
    assert {p.name for p in report["csv"].iterdir()} == exported
    for name in exported:
        pd.read_csv(report["csv"] / name)  # every file parses


def test_csv_exports_round_trip_with_pandas(report: dict[str, Path], result: Result) -> None:
    folder = report["csv"]
    documents = pd.read_csv(folder / "documents.csv", keep_default_na=False, na_values=[""])
    expected = result.documents.set_index("doc_id")
    assert sorted(documents["doc_id"]) == sorted(expected.index)
    documents = documents.set_index("doc_id")
    dates = pd.to_datetime(documents["date"])
    assert (
        dates.reindex(expected.index).fillna(pd.Timestamp(0))
        == expected["date"].fillna(pd.Timestamp(0))
    ).all()
    assert (documents["n_removed"].reindex(expected.index) == expected["n_removed"]).all()
    assert documents.loc["reuters-001", "title"] == SCRIPT_TITLE
    assert documents.loc["reuters-001", "url"] == "https://example.org/1"
    assert documents.loc[DUPLICATE[0], "duplicate_of"] == DUPLICATE[1]
    assert documents["sentences"].sum() == len(result.sentences)

    removed = pd.read_csv(folder / "removed.csv")
    assert list(removed.columns) == ["doc_id", "line", "rule", "text"]
    assert REMOVED_TEXT in set(removed["text"])
    assert removed["line"].dtype.kind == "i"
    duplicates = pd.read_csv(folder / "duplicates.csv")
    assert duplicates.loc[0, "similarity"] == pytest.approx(0.934)
    undated = pd.read_csv(folder / "undated.csv")
    assert list(undated["doc_id"]) == [UNDATED_ID]
    parameters = pd.read_csv(folder / "parameters.csv")
    expected_names = {
        (stage, name) for stage, values in result.config.as_dict().items() for name in values
    }
    assert set(zip(parameters["stage"], parameters["parameter"], strict=True)) == expected_names


def test_formula_cells_are_neutralised_in_the_export(report: dict[str, Path]) -> None:
    documents = pd.read_csv(report["csv"] / "documents.csv").set_index("doc_id")
    assert documents.loc["aje-002", "title"] == "'" + FORMULA_TITLE


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_neutralise_formula(prefix: str) -> None:
    assert neutralise_formula(prefix + "SUM(A1:A9)") == "'" + prefix + "SUM(A1:A9)"
    assert neutralise_formula("SUM" + prefix) == "SUM" + prefix


def test_csv_text_neutralises_text_but_keeps_numbers() -> None:
    frame = pd.DataFrame(
        {"text": ["=1+2", "plain", None, "@user"], "number": [-1, 2, 3, -4], "x": [-0.5] * 4}
    )
    back = pd.read_csv(io.StringIO(csv_text(frame)))
    assert list(back["text"].fillna("")) == ["'=1+2", "plain", "", "'@user"]
    assert list(back["number"]) == [-1, 2, 3, -4]
    assert list(back["x"]) == [-0.5] * 4


# -- errors and atomic writes --------------------------------------------------------------------


def test_unknown_format_is_rejected_listing_the_valid_ones(tmp_path: Path, result: Result) -> None:
    with pytest.raises(ReportError, match=r"'docx'.*html, pdf, csv"):
        render_report(result, tmp_path / "out", formats=("html", "docx"))
    assert not (tmp_path / "out").exists()
    with pytest.raises(ReportError, match="no report format"):
        render_report(result, tmp_path / "out", formats=())


def test_bad_max_listed_and_file_as_folder_are_rejected(tmp_path: Path, result: Result) -> None:
    with pytest.raises(ReportError, match="max_listed"):
        render_report(result, tmp_path, formats=("html",), max_listed=-1)
    target = tmp_path / "a-file"
    target.write_text("x")
    with pytest.raises(ReportError, match="not a folder"):
        render_report(result, target, formats=("html",))


def test_tables_with_the_wrong_columns_are_rejected(tmp_path: Path, result: Result) -> None:
    broken = dataclasses.replace(result, removed=result.removed.drop(columns=["rule"]))
    with pytest.raises(SchemaError, match="rule"):
        render_report(broken, tmp_path, formats=("html",))


def test_a_failed_run_leaves_the_previous_report_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, result: Result
) -> None:
    (tmp_path / "report.html").write_text("previous")

    def broken_pdf(html: str, *, base_url: str) -> bytes:
        raise ReportError("layout failed")

    monkeypatch.setattr(render_module, "html_to_pdf", broken_pdf)
    with pytest.raises(ReportError, match="layout failed"):
        render_report(result, tmp_path)
    assert (tmp_path / "report.html").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_write_atomic_replaces_whole_files_and_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.html"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"

    def failing_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, b"third")
    assert target.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
