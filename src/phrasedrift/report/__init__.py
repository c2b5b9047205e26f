"""The report: self-contained HTML, PDF and CSV exports of a :class:`~phrasedrift.Result`.

    from phrasedrift.report import render_report
    render_report(result, "reports/gaza-2021-2023", formats=("html", "pdf", "csv"))

Modules: :mod:`.render` (render_report, formats, atomic writes), :mod:`.sections` (what each
section shows; add sections there), :mod:`.tables` (table formatting and the CSV export),
:mod:`.figures` (figures as inline SVG), :mod:`.pdf` (WeasyPrint, imported only for a PDF).
Templates, CSS and the table-sorting script are in ``templates/``.
"""

from __future__ import annotations

from phrasedrift.report.render import FORMATS, render_html, render_report
from phrasedrift.report.sections import (
    SECTIONS,
    Heading,
    ReportContext,
    Section,
    SectionContent,
    Stat,
)
from phrasedrift.report.tables import Column, Table, csv_text, neutralise_formula

__all__ = [
    "FORMATS",
    "SECTIONS",
    "Column",
    "Heading",
    "ReportContext",
    "Section",
    "SectionContent",
    "Stat",
    "Table",
    "csv_text",
    "neutralise_formula",
    "render_html",
    "render_report",
]
