"""phrasedrift: recurring formulas of official rhetoric, their variants, and how they drift.

    import phrasedrift as pdr
    corpus = pdr.load_corpus("corpora/gaza-2021-2023")
    result = pdr.analyze(corpus)
    pdr.render_report(result, "reports/gaza-2021-2023")

Importing the package only defines these names.
"""

from phrasedrift._version import __version__
from phrasedrift.clean import clean_documents
from phrasedrift.config import (
    CleanConfig,
    Config,
    CorpusConfig,
    EngineConfig,
    ReportConfig,
    TokensConfig,
)
from phrasedrift.corpus import Corpus, load_corpus
from phrasedrift.errors import (
    CorpusError,
    CorpusWarning,
    PhrasedriftError,
    PhrasedriftWarning,
    ReportError,
    SchemaError,
)
from phrasedrift.pipeline import Result, analyze
from phrasedrift.report import render_report
from phrasedrift.tokens import tokenize

__all__ = [
    "CleanConfig",
    "Config",
    "Corpus",
    "CorpusConfig",
    "CorpusError",
    "CorpusWarning",
    "EngineConfig",
    "PhrasedriftError",
    "PhrasedriftWarning",
    "ReportConfig",
    "ReportError",
    "Result",
    "SchemaError",
    "TokensConfig",
    "__version__",
    "analyze",
    "clean_documents",
    "load_corpus",
    "render_report",
    "tokenize",
]
