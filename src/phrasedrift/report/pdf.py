"""The PDF: the report's HTML laid out by WeasyPrint, imported only when a PDF is asked for.

WeasyPrint needs the Pango text layout library, which pip cannot install; without it, importing
WeasyPrint raises ``OSError``. :func:`html_to_pdf` turns that into :class:`PdfUnavailable`,
whose message says what to install, so the caller can still write the HTML.
"""

from __future__ import annotations

import importlib
import logging
from types import ModuleType

from phrasedrift.errors import ReportError

__all__ = ["INSTALL_HELP", "PdfUnavailable", "html_to_pdf"]

INSTALL_HELP = (
    "install the Pango library that WeasyPrint needs: on Debian or Ubuntu "
    "`apt-get install libpango-1.0-0 libpangoft2-1.0-0`, on Fedora `dnf install pango`, "
    "on macOS `brew install pango`; for Windows and other systems see "
    "https://doc.courtbouillon.org/weasyprint/stable/first_steps.html"
)


class PdfUnavailable(ReportError):
    """WeasyPrint (or the Pango library under it) cannot be loaded, so no PDF can be written."""


def load_weasyprint() -> ModuleType:
    """Import WeasyPrint, or raise :class:`PdfUnavailable` saying what to install."""
    try:
        return importlib.import_module("weasyprint")
    except OSError as error:  # the Python package is there, the Pango library is not
        raise PdfUnavailable(
            f"the PDF was not written because WeasyPrint could not load Pango ({error}); "
            + INSTALL_HELP
        ) from error
    except ImportError as error:
        raise PdfUnavailable(
            f"the PDF was not written because WeasyPrint cannot be imported ({error}); "
            "install it with `pip install weasyprint`, then " + INSTALL_HELP
        ) from error


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    """The PDF of ``html`` (print CSS applies). Raises :class:`PdfUnavailable` or
    :class:`~phrasedrift.errors.ReportError`."""
    weasyprint = load_weasyprint()
    # WeasyPrint logs every CSS property it ignores at WARNING; they are not the user's concern.
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(max(level, logging.ERROR))
    try:
        pdf = weasyprint.HTML(string=html, base_url=base_url).write_pdf()
    except Exception as error:
        raise ReportError(f"WeasyPrint could not lay out the PDF: {error}") from error
    finally:
        logger.setLevel(level)
    if not isinstance(pdf, bytes):
        raise ReportError("WeasyPrint returned no PDF")
    return pdf
