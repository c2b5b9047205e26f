"""Errors and warnings that phrasedrift reports to its users.

``PhrasedriftError`` is a problem the user can fix (a missing file, a bad column); the command
line prints its message without a traceback and exits non-zero. ``PhrasedriftWarning`` is a
problem the run can go on past (one unreadable file in a folder); it is issued through
:mod:`warnings` and also recorded in the corpus's ``problems`` table, so the report lists it.
"""

from __future__ import annotations


class PhrasedriftError(Exception):
    """A user error: the message says what is wrong and where."""


class CorpusError(PhrasedriftError):
    """The corpus cannot be read at all (no such path, no documents, no text column)."""


class SchemaError(PhrasedriftError):
    """A table handed to a stage lacks columns or has the wrong types."""


class ReportError(PhrasedriftError):
    """The report cannot be written."""


class RosterError(PhrasedriftError):
    """A roster file cannot be used: the message names the file, the entry and the problem."""


class PhrasedriftWarning(UserWarning):
    """A problem the run went on past; the message names the file and what was done."""


class CorpusWarning(PhrasedriftWarning):
    """One document (or one part of its metadata) could not be used as given."""
