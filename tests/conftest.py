"""Shared fixtures: the sample corpus and the hand-annotated gold formulas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "gaza-2021-2023"
#: A copy of ../shared/gold/seed-formulas.csv: 94 hand-annotated formula occurrences.
GOLD = ROOT / "tests" / "data" / "seed-formulas.csv"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def gold() -> pd.DataFrame:
    """The 94 gold formula occurrences; doc_id is the file name without .txt."""
    frame = pd.read_csv(GOLD, dtype={"principal": str, "speaker": str})
    return frame.assign(doc_id=frame["doc"].str.removesuffix(".txt"))
