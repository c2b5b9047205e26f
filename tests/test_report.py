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

from phrasedrift import drift, schema
from phrasedrift.config import Config, ReportConfig
from phrasedrift.errors import PhrasedriftWarning, ReportError, SchemaError
from phrasedrift.pipeline import Result
from phrasedrift.report import SECTIONS, neutralise_formula, render_html, render_report, sections
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
SCRIPT_LABEL = "<script>alert('family')</script> ironclad support"
FORMULA_SURFACE = "-restoring a sustainable calm"
#: family_id -> label, most widespread first (6, 3 and 2 documents)
FAMILIES = {
    "right-to-defend-itself": "right to defend itself",
    "sustainable-calm": "sustainable calm",
    "ironclad-support": SCRIPT_LABEL,
}


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
        **formula_tables(documents),
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


def formula_tables(documents: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Three families: "right to defend itself" (three variants, the label's own wording among
    them but not the most used, one occurrence undated), "sustainable calm" (no variant worded like the label, one
    surface that a spreadsheet would run) and a family whose label carries a script tag."""
    defend, calm, script = FAMILIES
    legitimate = "legitimate right to defend itself and its people"
    rows = [  # family_id, variant, surface, doc_id, phrase
        (defend, "right to defend itself", "right to defend itself", "reuters-001", "right defend itself"),
        (defend, "right to defend itself", "right to defend itself", "aje-001", "right defend itself"),
        (defend, legitimate, legitimate, "aje-002", "legitim right"),
        (defend, legitimate, '"' + legitimate, "reuters-002", "legitim right"),
        (defend, legitimate, legitimate, UNDATED_ID, "legitim right"),
        (defend, "israel's right to defend itself", "Israel's right to defend itself", "aje-003", "israel right"),
        (defend, "israel's right to defend itself", "Israel’s right to defend itself", "aje-003", "israel right"),
        (calm, "restore a sustainable calm", "restore a sustainable calm", "reuters-001", "sustain calm"),
        (calm, "restore a sustainable calm", "restore a sustainable calm", "aje-001", "restor sustain calm"),
        (calm, "restoring a sustainable calm", FORMULA_SURFACE, "aje-002", "restor sustain calm"),
        (script, SCRIPT_LABEL, SCRIPT_LABEL, "reuters-002", "ironclad support"),
        (script, SCRIPT_LABEL, SCRIPT_LABEL, "aje-003", "ironclad support"),
    ]  # fmt: skip
    meta = documents.set_index("doc_id")
    how = {
        "right defend itself": ("core", 1.0),
        "legitim right": ("overlap", 0.8),
        "israel right": ("token edit", 0.75),
        "sustain calm": ("core", 1.0),
        "restor sustain calm": ("containment", 0.9),
        "ironclad support": ("core", 1.0),
    }
    occurrences = pd.DataFrame(
        {
            "family_id": [r[0] for r in rows],
            "variant": [r[1] for r in rows],
            "surface": [r[2] for r in rows],
            "doc_id": [r[3] for r in rows],
            "sent_id": [0] * len(rows),
            "start": list(range(0, 10 * len(rows), 10)),
            "end": list(range(5, 10 * len(rows), 10)),
            "date": [meta.loc[r[3], "date"] for r in rows],
            "source": [meta.loc[r[3], "source"] for r in rows],
            "phrase": [r[4] for r in rows],
            "how": [how[r[4]][0] for r in rows],
            "score": [how[r[4]][1] for r in rows],
        }
    )
    grouped = occurrences.groupby("family_id", sort=False)
    families = pd.DataFrame(
        {
            "family_id": list(FAMILIES),
            "label": list(FAMILIES.values()),
            "n_variants": [grouped.get_group(f)["variant"].nunique() for f in FAMILIES],
            "n_occurrences": [len(grouped.get_group(f)) for f in FAMILIES],
            "n_docs": [grouped.get_group(f)["doc_id"].nunique() for f in FAMILIES],
            "n_sources": [grouped.get_group(f)["source"].nunique() for f in FAMILIES],
            "first_date": [grouped.get_group(f)["date"].min() for f in FAMILIES],
            "last_date": [grouped.get_group(f)["date"].max() for f in FAMILIES],
        }
    )
    members = pd.DataFrame(
        {
            "family_id": [
                "right-to-defend-itself",
                "right-to-defend-itself",
                "right-to-defend-itself",
                "sustainable-calm",
                "sustainable-calm",
                "ironclad-support",
            ],
            "phrase": list(how),
            "n_docs": [3, 2, 1, 2, 2, 2],
            "how": [h for h, _ in how.values()],
            "score": [score for _, score in how.values()],
            "linked_to": [
                "",
                "right defend itself",
                "right defend itself",
                "",
                "sustain calm",
                "",
            ],
        }
    )
    phrases = pd.DataFrame(
        {"phrase": list(how), "n_tokens": [3, 2, 2, 2, 3, 2], "n_docs": [3, 2, 1, 2, 2, 2]}
    )
    return {
        "phrases": phrases,
        "families": schema.coerce(families, "families"),
        "occurrences": schema.coerce(occurrences, "occurrences"),
        "members": members,
    }


def no_families() -> dict[str, pd.DataFrame]:
    members = pd.DataFrame(columns=["family_id", "phrase", "n_docs", "how", "score", "linked_to"])
    return {
        "families": schema.empty("families"),
        "occurrences": schema.empty("occurrences"),
        "members": members,
    }


def empty_result() -> Result:
    return make_result(
        documents=schema.empty("documents"),
        problems=schema.empty("problems"),
        removed=schema.empty("removed"),
        duplicates=schema.empty("duplicates"),
        sentences=schema.empty("sentences"),
        tokens=schema.empty("tokens"),
        timings={},
        **no_families(),
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
            # a colour bar is an image embedded in its SVG (a data URI), which loads nothing
            embedded = node.tag == "image" and (value or "").startswith("data:image/png;base64,")
            assert value is None or value.startswith("#") or embedded, (
                f"<{node.tag} {name}={value!r}>"
            )
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
    lead = words(tree.by_id("overview").find_all("p", "lead")[0].text())
    assert lead.startswith(
        f"{len(documents)} documents from {documents['source'].nunique()} sources"
    )


def test_the_overview_of_one_source_says_source(result: Result) -> None:
    one = dataclasses.replace(result, documents=result.documents.assign(source="Wire"))
    tree = parse(render_html(one))
    lead = words(tree.by_id("overview").find_all("p", "lead")[0].text())
    assert lead.startswith(f"{len(one.documents)} documents from 1 source,")


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


# -- formula families ----------------------------------------------------------------------------


def family_links(tree: Node) -> dict[str, str]:
    """Label -> link target of each row of the families table that links to a block."""
    table = tree.by_id("table-families")
    return {
        words(a.text()): a.attrs["href"] for td in table.find_all("td") for a in td.find_all("a")
    }


def test_families_section_follows_the_overview(tree: Node) -> None:
    assert [s.id for s in SECTIONS][:2] == ["overview", "families"]
    section = tree.by_id("families")
    assert words(section.find_all("h2")[0].text()) == "Formula families"
    lead = words(section.find_all("div", "lead")[0].text())
    for term in ("family", "variant", "occurrence"):
        assert term in lead
    assert "occurrences in the documents" in lead
    toc = [a.attrs["href"] for a in tree.by_id("contents").find_all("a")]
    assert toc.index("#overview") < toc.index("#families") < toc.index("#families-list")


def test_families_table_lists_every_family_with_its_counts(tree: Node, result: Result) -> None:
    table = tree.by_id("table-families")
    header = [words(th.text()) for th in table.find_all("th")]
    assert header == [
        "Family",
        "Variants",
        "Occurrences",
        "Documents",
        "Sources",
        "First used",
        "Last used",
    ]
    rows = table.rows()
    assert [row[0] for row in rows] == list(FAMILIES.values())  # most documents first
    expected = result.families.set_index("label")
    for row in rows:
        family = expected.loc[row[0]]
        assert row[1:5] == [
            str(family["n_variants"]),
            str(family["n_occurrences"]),
            str(family["n_docs"]),
            str(family["n_sources"]),
        ]
    assert rows[0][5:] == ["2021-05-13", "2023-05-11"]
    assert {th.attrs["data-type"] for th in table.find_all("th")[1:5]} == {"number"}


def test_each_family_label_links_to_its_block(tree: Node, result: Result) -> None:
    links = family_links(tree)
    assert set(links) == set(FAMILIES.values())
    for family_id, label in FAMILIES.items():
        href = links[label]
        assert href.startswith("#") and family_id in href
        block = tree.by_id(href[1:])
        assert block.tag == "article" and "family" in block.attrs["class"].split()
        assert words(block.find_all("h4")[0].text()) == label
    # the blocks come in the table's order, inside the details sub-section
    details = tree.by_id("families-details")
    assert [words(a.find_all("h4")[0].text()) for a in details.find_all("article")] == list(
        FAMILIES.values()
    )


def block_of(tree: Node, label: str) -> Node:
    return tree.by_id(family_links(tree)[label][1:])


def test_family_block_lists_variants_with_counts_and_first_use(tree: Node) -> None:
    block = block_of(tree, "right to defend itself")
    summary = words(block.find_all("p", "family-summary")[0].text())
    assert summary.startswith("7 occurrences of 3 variants in 6 documents from 2 sources")
    assert "13 May 2021 to 11 May 2023" in summary
    table = block.find_all("div", "variants")[0]
    header = [words(th.text()) for th in table.find_all("th")]
    assert header == ["Variant", "Occurrences", "Documents", "Sources", "First use"]
    rows = table.rows()
    # the label's own wording first, marked; then the most used
    assert rows[0][0] == "right to defend itself label"
    assert [badge.text() for badge in table.find_all("span", "badge")] == ["label"]
    assert rows[0][1:] == ["2", "2", "2", "2021-05-13 Reuters"]
    assert rows[1][0] == "legitimate right to defend itself and its people"
    assert rows[1][1:] == ["3", "3", "2", "2023-05-10 Reuters"]  # the undated one counts too
    # as many uses, fewer documents; shown with the capital it was written with
    assert rows[2][0] == "Israel's right to defend itself"
    assert rows[2][1:] == ["2", "1", "1", "2023-05-11 Al Jazeera"]
    # how a variant was written shows only when it differs by more than case and quote marks
    details = [words(d.text()) for d in table.find_all("span", "cell-detail")]
    assert "as written: Israel's right to defend itself" not in details


def test_family_without_its_label_as_a_variant_says_so(tree: Node) -> None:
    block = block_of(tree, "sustainable calm")
    rows = block.find_all("div", "variants")[0].rows()
    assert [row[0] for row in rows] == [
        "restore a sustainable calm",
        f"restoring a sustainable calm as written: {FORMULA_SURFACE}",
    ]
    assert "No variant is worded exactly like the label" in words(block.text())
    assert not block.find_all("span", "badge")
    assert rows[0][4] == "2021-05-13 Reuters"


def test_first_use_names_every_source_of_the_first_day(result: Result) -> None:
    occurrences = result.occurrences.copy()
    same_day = (occurrences["doc_id"] == "aje-001") & (
        occurrences["family_id"] == "sustainable-calm"
    )
    occurrences.loc[same_day, "date"] = pd.Timestamp("2021-05-13")
    tree = parse(render_html(dataclasses.replace(result, occurrences=occurrences)))
    rows = block_of(tree, "sustainable calm").find_all("div", "variants")[0].rows()
    assert rows[0][4] == "2021-05-13 Al Jazeera and Reuters"


def test_family_block_explains_why_phrases_were_grouped(tree: Node, result: Result) -> None:
    block = block_of(tree, "right to defend itself")
    assert "Why these were grouped" in words(block.text())
    table = block.find_all("div", "why")[0]
    header = [words(th.text()) for th in table.find_all("th")]
    assert header[:4] == ["Mined phrase (stems)", "How", "Score", "Linked to"]
    rows = table.rows()
    assert [row[:4] for row in rows] == [  # the core first, then the weakest links
        ["right defend itself", "core", "1.00", "—"],
        ["israel right", "token edit", "0.75", "right defend itself"],
        ["legitim right", "overlap", "0.80", "right defend itself"],
    ]
    assert rows[2][-1] == "legitimate right to defend itself and its people"
    legend = words(tree.by_id("families-details").find_all("dl", "legend")[0].text())
    for how in ("core", "overlap", "token edit", "containment"):
        assert how in legend
    assert "watch" not in legend  # only the kinds of link the result uses


def test_family_label_with_a_script_tag_is_escaped(html: str, tree: Node) -> None:
    assert "<script>alert('family')" not in html
    assert "&lt;script&gt;alert(" in html
    assert len(tree.find_all("script")) == 1
    block = block_of(tree, SCRIPT_LABEL)
    assert words(block.find_all("h4")[0].text()) == SCRIPT_LABEL
    assert block.find_all("div", "variants")[0].rows()[0][0] == SCRIPT_LABEL + " label"


def test_family_blocks_and_variants_are_capped_with_a_note(tmp_path: Path, result: Result) -> None:
    paths = render_report(result, tmp_path, formats=("html", "csv"), max_families=1, max_variants=1)
    tree = parse(paths["html"].read_text("utf-8"))
    details = tree.by_id("families-details")
    assert len(details.find_all("article")) == 1
    assert "the other 2 are listed only in the table above" in words(details.text())
    assert list(family_links(tree)) == ["right to defend itself"]  # no link to a missing block
    assert [row[0] for row in tree.by_id("table-families").rows()] == list(FAMILIES.values())
    variants = details.find_all("div", "variants")[0]
    assert len(variants.rows()) == 1
    note = words(variants.find_all("p", "table-more")[0].text())
    assert "1 of 3 variants" in note and "csv/variants.csv" in note
    why = words(details.find_all("div", "why")[0].find_all("p", "table-more")[0].text())
    assert "1 of 3 phrases" in why and "csv/members.csv" in why

    tree = parse(render_html(result, max_listed=1, max_families=0))
    assert not tree.by_id("families").find_all("article")
    note = words(tree.by_id("table-families").find_all("p", "table-more")[0].text())
    assert "1 of 3 families" in note and "csv/families.csv" in note


@pytest.mark.parametrize("name", ["max_families", "max_variants"])
def test_bad_family_limits_are_rejected(tmp_path: Path, result: Result, name: str) -> None:
    with pytest.raises(ReportError, match=name):
        render_report(result, tmp_path, formats=("html",), **{name: -1})


@pytest.mark.parametrize("members", ["with columns", "the Result default"])
def test_no_families_shows_the_empty_state(tmp_path: Path, members: str) -> None:
    result = make_result(**no_families())
    if members == "the Result default":  # a Result made without grouping: no columns at all
        result = dataclasses.replace(result, members=pd.DataFrame())
    paths = render_report(result, tmp_path, formats=("html", "csv"))
    tree = parse(paths["html"].read_text("utf-8"))
    section = tree.by_id("families")
    empty = words(section.find_all("p", "empty")[0].text())
    assert empty.startswith("No formula recurs in two or more documents")
    assert not section.find_all("table") and not section.find_all("article")
    toc = [a.attrs["href"] for a in tree.by_id("contents").find_all("a")]
    assert "#families" in toc and "#families-list" not in toc
    for name in ("families", "occurrences", "members", "variants"):
        assert pd.read_csv(paths["csv"] / f"{name}.csv").empty


def test_members_without_their_columns_are_rejected(tmp_path: Path, result: Result) -> None:
    broken = dataclasses.replace(result, members=result.members.drop(columns=["how"]))
    with pytest.raises(SchemaError, match=r"members.*how"):
        render_report(broken, tmp_path, formats=("html",))


def test_family_csvs_round_trip(report: dict[str, Path], result: Result) -> None:
    folder = report["csv"]
    families = pd.read_csv(folder / "families.csv", parse_dates=["first_date", "last_date"])
    assert list(families.columns) == list(result.families.columns)
    pd.testing.assert_frame_equal(
        families.drop(columns="label"),
        result.families.drop(columns="label").astype({"family_id": object}),
        check_dtype=False,
    )
    assert list(families["label"]) == list(FAMILIES.values())

    occurrences = pd.read_csv(folder / "occurrences.csv", parse_dates=["date"])
    assert list(occurrences.columns) == list(result.occurrences.columns)
    assert len(occurrences) == len(result.occurrences)
    expected = result.occurrences.astype({c: object for c in ("surface", "variant")})
    assert list(occurrences["variant"]) == list(expected["variant"])
    assert list(occurrences["start"]) == list(expected["start"])
    assert list(occurrences["score"]) == pytest.approx(list(expected["score"]))
    assert occurrences["date"].isna().sum() == 1
    # the surface a spreadsheet would run as a formula is neutralised, the others are intact
    surfaces = list(occurrences["surface"])
    assert "'" + FORMULA_SURFACE in surfaces and FORMULA_SURFACE not in surfaces
    assert [x for x in surfaces if x != "'" + FORMULA_SURFACE] == [
        x for x in expected["surface"] if x != FORMULA_SURFACE
    ]

    members = pd.read_csv(folder / "members.csv", keep_default_na=False)
    assert list(members.columns) == list(result.members.columns)
    assert list(members["phrase"]) == list(result.members["phrase"])
    assert list(members["linked_to"]) == list(result.members["linked_to"])

    variants = pd.read_csv(folder / "variants.csv")
    counts = result.occurrences.groupby(["family_id", "variant"]).size()
    keys = zip(variants["family_id"], variants["variant"], strict=True)
    assert dict(zip(keys, variants["occurrences"], strict=True)) == counts.to_dict()
    assert variants["is_label"].sum() == 2


def test_pdf_has_the_families_their_labels_and_variants(report: dict[str, Path]) -> None:
    text = words(" ".join(page.extract_text() or "" for page in PdfReader(report["pdf"]).pages))
    assert "Formula families" in text
    for label in FAMILIES.values():
        assert label in text, label
    for variant in (
        "legitimate right to defend itself and its people",
        "Israel's right to defend itself",
        "restoring a sustainable calm",
    ):
        assert variant in text, variant
    assert "Why these were grouped".upper() in text.upper()


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


def test_variants_are_shown_as_written_and_the_label_is_found_whatever_its_case() -> None:
    # Variants are normal forms (lowercase); labels are written as in the text. The label's
    # variant must still be marked, and every variant read with its capitals.
    from phrasedrift.report.sections import _variant_counts

    rows = [
        ("support-for-israel", "support for israel", "support for Israel"),
        ("support-for-israel", "support for israel", '"support for Israel"'),
        ("support-for-israel", "strong support for israel", "Strong support for Israel"),
        ("support-for-israel", "backing for israel", "backing for Israel's"),
        ("two-state-solution", "twostate solution", "two-state solution"),
    ]
    occurrences = pd.DataFrame(rows, columns=["family_id", "variant", "surface"]).assign(
        doc_id=["a", "b", "c", "d", "e"], date=pd.NaT, source="x"
    )
    labels = {
        "support-for-israel": "support for Israel",
        "two-state-solution": "two-state solution",
    }
    variants = _variant_counts(occurrences, labels)
    table = variants.set_index("variant")
    assert table["is_label"].to_dict() == {
        "support for israel": True,
        "strong support for israel": False,
        "backing for israel": False,
        "twostate solution": True,  # normal forms have no hyphens
    }
    assert table.loc["support for israel", "shown"] == "support for Israel"
    assert table.loc["strong support for israel", "shown"] == "Strong support for Israel"
    assert table.loc["twostate solution", "shown"] == "two-state solution"
    # written differently (beyond case): shown as the normal form, the writing beside it
    assert table.loc["backing for israel", "shown"] == "backing for israel"
    assert table.loc["backing for israel", "as_written"] == "backing for Israel's"


@pytest.mark.parametrize(
    ("freq", "expected"),
    [
        ("10Y", "1790s"),
        ("Y", "1799"),
        ("M", "1799-12"),
        ("W", "week of 1799-12-30"),
        ("D", "1799-12-31"),
    ],
)
def test_periods_are_named_as_a_reader_names_them(freq: str, expected: str) -> None:
    start = drift.period_starts(pd.Series(pd.to_datetime(["1799-12-31"])), freq).iloc[0]
    assert sections._period_text(start, freq) == expected


def test_csv_text_formats_every_kind_of_column_as_cell_by_cell() -> None:
    from phrasedrift.report.tables import _csv_cell, csv_text

    days = ["2021-05-10", None, "2023-01-02 10:30", "2021-05-10"]
    words = ["=cmd|x", None, "plain", "=cmd|x"]
    frame = pd.DataFrame(
        {
            "arrow": pd.array(words, dtype="string[pyarrow]"),
            "python": pd.array(words, dtype="string[python]"),
            "category": pd.Categorical(words),
            "date": pd.to_datetime(days, format="mixed"),
            "object": pd.Series([["a", "b"], None, {"k": 1}, "+1"], dtype=object),
            "count": [1, 2, 3, 4],
        }
    )
    # the rule: each value by itself (numbers as they are)
    expected = pd.DataFrame(
        {
            name: column if name == "count" else [_csv_cell(v) for v in column]
            for name, column in frame.items()
        }
    )
    text = csv_text(frame)
    assert text == expected.to_csv(index=False, lineterminator="\n")
    assert "'=cmd|x" in text and "2023-01-02 10:30" in text and "2021-05-10," in text


def test_figures_drawn_in_worker_processes_are_the_figures_drawn_here(result: Result) -> None:
    here = render_html(result, workers=1)
    assert here.count("<svg") >= 2
    assert render_html(result, workers=2) == here
