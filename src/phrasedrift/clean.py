"""Placeholder: clean_documents being written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Cleaned:
    documents: pd.DataFrame
    removed: pd.DataFrame
    duplicates: pd.DataFrame


def clean_documents(documents: pd.DataFrame, **options: Any) -> Cleaned:
    raise NotImplementedError
