"""The full report of the sample corpus: family pages, PDF, links, a real browser, determinism.

These run the whole analysis, so the report is rendered once for the module.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

import phrasedrift as pdr
from phrasedrift.config import Config, ReportConfig
from phrasedrift.pipeline import Result
from phrasedrift.report import render_html, render_report
from tests.test_report import Node, parse, words

#: Formulas the sample corpus is known to carry (the seed articles' gold families).
FORMULAS = ("support for israel's security", "right to defend itself")
#: Modifiers of "support for Israel's security" that the issue names; each is checked where the
#: result has it in a variant of that family.
MODIFIERS = ("ironclad", "unwavering", "strong", "continued", "steadfast")
#: Where Chromium may be; the browser test is skipped only when none is installed.
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


@pytest.fixture(scope="module")
def result(sample_path: Path) -> Result:
    return pdr.analyze(sample_path)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, result: Result) -> dict[str, Path]:
    return render_report(result, tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def tree(report: dict[str, Path]) -> Node:
    return parse(report["html"].read_text("utf-8"))


def family_of(result: Result, formula: str) -> str:
    """The one family whose variants carry ``formula``."""
    variants = result.occurrences["variant"].astype(str)
    owners = set(result.occurrences.loc[variants.str.contains(formula, regex=False), "family_id"])
    assert len(owners) == 1, f"{formula!r} is in the variants of {sorted(owners)}"
    return str(owners.pop())


def page_of(tree: Node, family_id: str) -> Node:
    pages = [
        node
        for node in tree.by_id("pages").find_all("article", "family-page")
        if node.attrs["id"] == "page-" + re.sub(r"[^A-Za-z0-9_-]+", "-", family_id).strip("-")
    ]
    assert len(pages) == 1, f"no page for family {family_id}"
    return pages[0]


def without_deletions(node: Node) -> str:
    """The text of a diff line without its deleted words: the variant as it was used."""
    parts = [
        c if isinstance(c, str) else without_deletions(c)
        for c in node.children
        if isinstance(c, str) or (c.tag != "del" and "badge" not in c.attrs.get("class", ""))
    ]
    return words("".join(parts))


@pytest.mark.parametrize("formula", FORMULAS)
def test_each_formula_has_a_page_with_plots_diff_and_concordance(
    tree: Node, result: Result, formula: str
) -> None:
    family_id = family_of(result, formula)
    page = page_of(tree, family_id)
    label = result.families.set_index("family_id").loc[family_id, "label"]
    assert words(page.find_all("h3")[0].text()) == label
    figures = [f.attrs["id"] for f in page.find_all("figure")]
    for kind in ("timeline", "heatmap", "shares"):
        assert any(f.startswith(f"figure-{kind}-") for f in figures), (kind, figures)
        assert all(figure.find_all("svg") for figure in page.find_all("figure"))
    lines = page.find_all("ul", "diffs")[0].find_all("li")
    own = result.occurrences[result.occurrences["family_id"] == family_id]
    assert len(lines) == min(own["variant"].nunique(), 12)
    assert any(formula in without_deletions(line).casefold() for line in lines)
    inserted = " ".join(words(n.text()).casefold() for n in page.find_all("ins"))
    for modifier in MODIFIERS:
        if own["variant"].str.contains(rf"\b{modifier}\b").any():
            assert modifier in inserted, f"{modifier} not marked as inserted"
    concordance = page.find_all("div", "concordance")[0]
    rows = concordance.rows()
    assert rows and len(rows) == min(len(own), ReportConfig.max_concordance)
    marks = [words(m.text()).casefold() for m in concordance.find_all("mark")]
    assert any(formula in m.replace("’", "'") for m in marks)
    links = [a.attrs["href"] for a in concordance.find_all("a")]
    assert links and all(link.startswith("#doc-") for link in links)


def test_html_anchors_all_resolve_and_ids_are_unique(tree: Node) -> None:
    ids = [node.attrs["id"] for node in tree.iter() if "id" in node.attrs]
    assert len(ids) == len(set(ids))
    targets = {node.attrs["href"][1:] for node in tree.find_all("a") if "href" in node.attrs}
    assert targets, "no internal links"
    assert targets <= set(ids), sorted(targets - set(ids))[:5]
    for name in ("pages", "officials", "outlets", "method", "quality"):
        assert f"{name}" in targets


def test_pdf_has_contents_and_the_family_labels(report: dict[str, Path], result: Result) -> None:
    reader = PdfReader(report["pdf"])
    first = "\n".join(page.extract_text() for page in reader.pages[:2])  # the contents
    assert "CONTENTS" in first.upper()
    for title in ("Family pages", "Officials", "Outlets", "Method"):
        assert re.search(rf"{title}\s*\.+\s*\d+", first), title  # an entry with its page
    text = words(" ".join(page.extract_text() for page in reader.pages))
    labels = result.families.set_index("family_id")["label"]
    for formula in FORMULAS:
        label = labels[family_of(result, formula)]
        assert text.count(label) >= 3, label  # contents, families table, its page


def test_html_renders_in_chromium_without_console_errors(report: dict[str, Path]) -> None:
    browser = next((path for name in BROWSERS if (path := shutil.which(name))), None)
    if browser is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); browser test skipped")
    done = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            report["html"].resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    assert not console, console
    assert 'id="pages"' in done.stdout and "family-page" in done.stdout


def test_csv_tables_are_byte_identical_across_runs(
    tmp_path: Path, report: dict[str, Path], sample_path: Path
) -> None:
    again = render_report(pdr.analyze(sample_path), tmp_path, formats=("csv",))
    first = sorted(p.name for p in report["csv"].glob("*.csv"))
    assert first == sorted(p.name for p in again["csv"].glob("*.csv"))
    assert {"concordance.csv", "diffs.csv", "officials.csv", "outlets.csv"} <= set(first)
    differ = [
        name
        for name in first
        if name != "timings.csv"  # wall-clock times
        and (report["csv"] / name).read_bytes() != (again["csv"] / name).read_bytes()
    ]
    assert not differ


def test_caps_keep_the_html_small_and_say_what_was_left_out(
    result: Result, report: dict[str, Path]
) -> None:
    config = Config(report=ReportConfig(max_family_pages=1, max_concordance=2))
    capped = Result(**{**result.__dict__, "config": config})
    html = render_html(capped)
    tree = parse(html)
    pages = tree.by_id("pages")
    assert len(pages.find_all("article", "family-page")) == 1
    n_left = len(result.families) - 1
    assert f"{n_left:,} other families are left out" in words(pages.text())
    concordance = pages.find_all("div", "concordance")[0]
    assert len(concordance.rows()) == 2
    assert "more not shown" in words(concordance.text())
    full = report["html"].stat().st_size
    assert len(html.encode()) < full * 0.75
    assert full < 5_000_000


def test_new_tables_are_exported_with_every_row(report: dict[str, Path], result: Result) -> None:
    concordance = pd.read_csv(report["csv"] / "concordance.csv")
    paged = set(concordance["family_id"])
    assert 0 < len(paged) <= ReportConfig.max_family_pages
    own = result.occurrences[result.occurrences["family_id"].isin(paged)]
    assert len(concordance) == len(own)
    officials = pd.read_csv(report["csv"] / "officials.csv")
    known = result.occurrences["principal"].astype(str)
    assert set(officials["principal"]) == set(known[known != ""])
    outlets = pd.read_csv(report["csv"] / "outlets.csv")
    assert outlets["n_mentions"].sum() == len(result.occurrences)
