"""Placeholder: Corpus and load_corpus being written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Corpus:
    name: str
    documents: pd.DataFrame
    problems: pd.DataFrame
    root: Path | None = None


def load_corpus(source: Any, **options: Any) -> Corpus:
    raise NotImplementedError
