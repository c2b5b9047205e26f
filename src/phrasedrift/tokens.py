"""Placeholder while tokens.py is written (issue 2)."""

from __future__ import annotations

from typing import Any

import pandas as pd


def tokenize(documents: pd.DataFrame, **options: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    raise NotImplementedError
