"""The README's examples run as written: its Python blocks against the sample corpus, its
roster example through the roster reader."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from phrasedrift.roster import parse_roster
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def blocks(language: str) -> list[str]:
    """The fenced code blocks of ``language`` in the README, in order, without indentation."""
    found = re.findall(rf"^( *)```{language}\n(.*?)^\1```$", README, flags=re.M | re.S)
    return [re.sub(rf"^{indent}", "", code, flags=re.M) for indent, code in found]


def test_the_python_examples_run_in_order_and_write_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # unindented blocks only, and not those with a placeholder for the reader to fill in
    # (tcp://HOST:8786): the cluster pointers are shown, not run
    found = re.findall(r"^```python\n(.*?)^```$", README, flags=re.M | re.S)
    code = [block for block in found if not re.search(r"\b(HOST|PORT|CORPUS|IMAGE\w*)\b", block)]
    assert len(code) >= 2 and "pdr.analyze(" in code[0]
    assert len(code) < len(blocks("python"))  # the Dask pointers are left out
    (tmp_path / "corpora").symlink_to(ROOT / "corpora", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    for block in code:
        exec(compile(block, "README.md", "exec"), namespace)  # each block as a reader runs it
    written = sorted(os.listdir(tmp_path / "reports" / "gaza-2021-2023"))
    assert written == ["report.html", "report.pdf"]


def test_the_roster_example_is_a_valid_roster() -> None:
    (example,) = blocks("yaml")
    roster = parse_roster(example, source="README.md")
    assert [p.name for p in roster.people] == ["Jake Sullivan"]
