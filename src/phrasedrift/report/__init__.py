"""Placeholder while the report package is written (issue 2)."""

from __future__ import annotations

from typing import Any


def render_report(result: Any, out_dir: Any, **options: Any) -> Any:
    raise NotImplementedError
