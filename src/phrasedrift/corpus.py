"""Read a corpus: a folder of documents, one file, a manifest, or a DataFrame.

Accepted inputs (:func:`load_corpus`):

- a folder, read recursively in path order: ``.txt``/``.md`` files with optional YAML front
  matter (``source``, ``date``, ``date_basis``, ``title``, ``url``, ``author`` and any other
  keys, kept as extra columns); ``.html`` pages, whose main text and metadata are extracted with
  trafilatura; manifests (``.csv``, ``.jsonl``, ``.parquet``) with one document per row in a
  text column. A manifest with a ``file`` column and no text column gives metadata to the files
  it names (like ``manifest.csv`` beside the seed articles). ``roster.yaml``, ``watch.txt``,
  ``README*`` and hidden files are not documents.
- one such file;
- a pandas DataFrame with a text column.

Dates come from, in order: the document's metadata (front matter, manifest column, HTML
metadata), an in-text date line (``date 2021-05-12`` at the start of a line), a dateline
(``WASHINGTON, May 12, 2021``), the file name (``2021-05-12-briefing.txt``). ``date_basis``
records which (front matter may state its own ``date_basis``); undated documents get ``NaT``
and ``date_basis == "none"`` and stay in the corpus.

Every problem (an empty or binary file, an unusual encoding, invalid front matter, an
unparseable date, a manifest row without text) is issued as a :class:`CorpusWarning` naming the
file and recorded in ``Corpus.problems``; the rest of the corpus is always read. Problems that
leave nothing to analyse (no such path, no documents, no text column in the one manifest given)
raise :class:`CorpusError`.

The ``documents`` table has the columns of ``schema.TABLES["documents"]`` (``text`` is the raw
text here; cleaning replaces it) plus ``author`` and any extra metadata, sorted by ``doc_id``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from dateutil import parser as dateparser

from phrasedrift import schema
from phrasedrift.config import (
    HTML_EXTENSIONS,
    MANIFEST_EXTENSIONS,
    TEXT_EXTENSIONS,
    CorpusConfig,
)
from phrasedrift.errors import CorpusError, CorpusWarning

#: Files in a corpus folder that are not documents.
RESERVED_NAMES = frozenset({"roster.yaml", "roster.yml", "watch.txt"})

#: Metadata names accepted for the documents columns (lowercased keys).
METADATA_ALIASES: Mapping[str, str] = {
    "outlet": "source",
    "publisher": "source",
    "sitename": "source",
    "site": "source",
    "published": "date",
    "pubdate": "date",
    "date_published": "date",
    "headline": "title",
    "link": "url",
    "byline": "author",
    "id": "doc_id",
    "file": "path",
    "filename": "path",
}

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY_MONTH_YEAR = rf"(?i:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}})"
_ISO_DATE = r"\d{4}-\d{2}-\d{2}"
#: "date 2021-05-12" or "Published: May 12, 2021" at the start of one of the first lines.
DATE_LINE = re.compile(
    rf"^[ \t]*(?:date|dated|published|posted|updated)[ \t]*[:\-]?[ \t]*"
    rf"(?P<date>{_ISO_DATE}|{_DAY_MONTH_YEAR})",
    re.IGNORECASE | re.MULTILINE,
)
#: "WASHINGTON, May 12, 2021" or "GAZA CITY, Gaza Strip, 12 May 2021" opening a line.
_DATELINE = re.compile(
    rf"^[ \t]*[A-Z][A-Z.'’ -]{{1,40}}(?:,[ \t]*[A-Z][\w.' -]{{1,30}})?,[ \t]*"
    rf"(?:\((?:AP|AFP|Reuters|[A-Z]{{2,10}})\)[ \t]*)?(?P<date>{_DAY_MONTH_YEAR})",
    re.MULTILINE,
)
_FILE_NAME_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})[-_.]?(?P<m>0[1-9]|1[0-2])[-_.]?(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"
)
_HEAD_CHARS = 400  # date lines and datelines are looked for in this many first characters

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
#: Encodings (charset_normalizer's names) read as cp1252 when the bytes allow it.
_SINGLE_BYTE_LATIN = frozenset(
    {"cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_2", "iso8859_9", "iso8859_15",
     "iso8859_4", "iso8859_10", "iso8859_13", "iso8859_16", "mac_roman", "mac_latin2", "cp850"}
)  # fmt: skip
_MAX_CONTROL_SHARE = 0.01  # above this share of control characters a file is binary
#: UTF-16 surrogate code points: a str can hold them (JSON "\\ud83d" escapes, DataFrames), but
#: they are not Unicode characters and cannot be written as UTF-8 (pandas' strings, the report).
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Corpus:
    """A loaded corpus: its documents, the problems met reading them, and where it came from.

    ``root`` is the corpus folder (where ``roster.yaml`` and ``watch.txt`` live), if any;
    ``watch`` the phrases of its ``watch.txt``.
    """

    name: str
    documents: pd.DataFrame
    problems: pd.DataFrame = field(default_factory=lambda: schema.empty("problems"))
    root: Path | None = None
    watch: tuple[str, ...] = ()

    @property
    def undated(self) -> pd.DataFrame:
        """The documents without a date."""
        return self.documents[self.documents["date"].isna()]

    def __len__(self) -> int:
        return len(self.documents)


class _Skip(Exception):
    """This file or row cannot be used; the message says why."""


class _Problems:
    """Collects problems, issuing each as a warning naming the file."""

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []

    def add(self, path: str, problem: str, action: str) -> None:
        self.rows.append({"path": path, "problem": problem, "action": action})
        warnings.warn(f"{path}: {problem}; {action}", CorpusWarning, stacklevel=2)

    def frame(self) -> pd.DataFrame:
        if not self.rows:
            return schema.empty("problems")
        return schema.coerce(pd.DataFrame(self.rows), "problems")


def load_corpus(
    source: str | Path | pd.DataFrame,
    *,
    text_column: str = CorpusConfig.text_column,
    recursive: bool = CorpusConfig.recursive,
    name: str | None = None,
) -> Corpus:
    """Read ``source`` (a folder, a document or manifest file, or a DataFrame) into a Corpus.

    Raises :class:`CorpusError` when nothing can be read; warns (and records in
    ``Corpus.problems``) about each file or row that is skipped or read with a caveat.
    """
    problems = _Problems()
    if isinstance(source, pd.DataFrame):
        records = _read_frame(source, "<DataFrame>", text_column, problems, basis="given")
        return _corpus(name or "corpus", records, problems, None, "<DataFrame>")
    path = Path(source).expanduser()
    if not path.exists():
        raise CorpusError(f"{path}: no such file or folder")
    if path.is_dir():
        records = _read_folder(path, text_column, recursive, problems)
        return _corpus(name or path.resolve().name, records, problems, path, str(path))
    suffix = path.suffix.lower()
    if suffix in MANIFEST_EXTENSIONS:
        frame = _read_manifest_file(path)
        if not _has_text(frame, text_column):
            raise CorpusError(_no_text_column(path, frame, text_column))
        records = _read_frame(frame, str(path), text_column, problems, basis="manifest")
    elif suffix in TEXT_EXTENSIONS or suffix in HTML_EXTENSIONS:
        records = _read_files([(path, path.name)], {}, problems)
    else:
        raise CorpusError(f"{path}: not a corpus file type ({_known_types()})")
    return _corpus(name or path.stem, records, problems, path.parent, str(path))


def _corpus(
    name: str, records: list[dict[str, Any]], problems: _Problems, root: Path | None, where: str
) -> Corpus:
    if not records:
        detail = f" ({len(problems.rows)} file(s) or row(s) skipped, see warnings)"
        raise CorpusError(
            f"{where}: no documents found"
            + (detail if problems.rows else f"; looked for {_known_types()}")
        )
    documents = _documents_frame(records, problems)
    watch = (
        read_watch_list(root / "watch.txt") if root is not None and where != "<DataFrame>" else ()
    )
    return Corpus(name=name, documents=documents, problems=problems.frame(), root=root, watch=watch)


def read_watch_list(path: Path) -> tuple[str, ...]:
    """The phrases of a watch list: one per line; blank lines and ``#`` comments skipped."""
    if not path.is_file():
        return ()
    try:
        text = decode(path.read_bytes()).text
    except (_Skip, OSError) as error:
        raise CorpusError(f"{path}: cannot read the watch list: {error}") from error
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return tuple(dict.fromkeys(line for line in lines if line))


def _known_types() -> str:
    return ", ".join(TEXT_EXTENSIONS + HTML_EXTENSIONS + MANIFEST_EXTENSIONS)


# --- folders ---------------------------------------------------------------------------------


def _read_folder(
    root: Path, text_column: str, recursive: bool, problems: _Problems
) -> list[dict[str, Any]]:
    pattern = "**/*" if recursive else "*"
    files = sorted(
        (p for p in root.glob(pattern) if p.is_file() and not _hidden(p.relative_to(root))),
        key=lambda p: p.relative_to(root).as_posix(),
    )
    records: list[dict[str, Any]] = []
    sidecar: dict[str, dict[str, Any]] = {}
    documents: list[tuple[Path, str]] = []
    for path in files:
        rel = path.relative_to(root).as_posix()
        suffix = path.suffix.lower()
        if path.name.lower() in RESERVED_NAMES or path.name.lower().startswith("readme"):
            continue
        if suffix in TEXT_EXTENSIONS or suffix in HTML_EXTENSIONS:
            documents.append((path, rel))
        elif suffix in MANIFEST_EXTENSIONS:
            try:
                frame = _read_manifest_file(path)
            except CorpusError as error:
                problems.add(rel, str(error).removeprefix(f"{path}: "), "skipped")
                continue
            if _has_text(frame, text_column):
                records += _read_frame(frame, rel, text_column, problems, basis="manifest")
            elif _file_column(frame) is not None:
                sidecar.update(_sidecar_metadata(frame, rel, problems))
            else:
                problems.add(rel, _no_text_column(None, frame, text_column), "skipped")
        else:
            problems.add(rel, f"not a document type ({suffix or 'no extension'})", "skipped")
    records += _read_files(documents, sidecar, problems)
    return records


def _hidden(rel: Path) -> bool:
    return any(part.startswith((".", "_")) for part in rel.parts)


def _sidecar_metadata(
    frame: pd.DataFrame, rel: str, problems: _Problems
) -> dict[str, dict[str, Any]]:
    """Metadata rows keyed by the file they describe (its path relative to the corpus)."""
    column = _file_column(frame)
    assert column is not None
    out: dict[str, dict[str, Any]] = {}
    for row in frame.to_dict("records"):
        key = str(row.pop(column) or "").strip()
        if not key:
            continue
        meta = {str(k): v for k, v in row.items() if _present(v)}
        if "date" in meta:
            meta.setdefault("date_basis", "manifest")
        meta["_sidecar"] = rel
        out[Path(key).as_posix()] = meta
    return out


def _file_column(frame: pd.DataFrame) -> str | None:
    return "path" if "path" in frame.columns else None


# --- single files ----------------------------------------------------------------------------


def _read_files(
    files: Iterable[tuple[Path, str]],
    sidecar: Mapping[str, Mapping[str, Any]],
    problems: _Problems,
) -> list[dict[str, Any]]:
    records = []
    used_sidecar: set[str] = set()
    for path, rel in files:
        try:
            raw = decode(path.read_bytes())
        except _Skip as error:
            problems.add(rel, str(error), "skipped")
            continue
        except OSError as error:
            problems.add(rel, f"cannot be read ({error.strerror or error})", "skipped")
            continue
        if raw.encoding not in ("utf-8", "ascii"):
            problems.add(rel, f"not UTF-8: read as {raw.encoding}", "kept")
        if path.suffix.lower() in HTML_EXTENSIONS:
            record = _html_record(raw.text, rel, problems)
        else:
            record = _text_record(raw.text, rel, problems)
        if record is None:
            continue
        key = rel if rel in sidecar else path.name if path.name in sidecar else None
        if key is not None:
            used_sidecar.add(key)
            for k, v in sidecar[key].items():
                if k != "_sidecar":
                    record.setdefault(k, v)
        record["doc_id"] = _doc_id_from_path(rel)
        record["path"] = rel
        records.append(record)
    for key in sorted(set(sidecar) - used_sidecar):
        problems.add(
            str(sidecar[key]["_sidecar"]),
            f"names {key!r}, which is not a document of the corpus",
            "its metadata is unused",
        )
    return records


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes and the encoding that was used."""

    text: str
    encoding: str


def decode(data: bytes) -> Decoded:
    """Decode a document's bytes: BOM, UTF-8, UTF-16 without BOM, then a detected encoding.

    Raises ``_Skip`` for an empty or binary file.
    """
    if not data.strip():
        raise _Skip("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data[len(bom) :].decode(encoding), encoding)
            except UnicodeDecodeError as error:
                raise _Skip(f"starts with a {encoding} mark but is not {encoding}") from error
    try:
        return _checked(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        half = max(len(data) // 2, 1)
        even, odd = data[0::2].count(0) / half, data[1::2].count(0) / half
        encoding = (
            "utf-16-le" if odd > 0.3 > even * 6 else "utf-16-be" if even > 0.3 > odd * 6 else ""
        )
        if not encoding:
            raise _Skip("binary file (contains NUL bytes), not text")
        try:
            return _checked(data.decode(encoding), encoding)
        except UnicodeDecodeError as error:
            raise _Skip("binary file (contains NUL bytes), not text") from error
    import charset_normalizer  # deferred: only non-UTF-8 files need it

    match = charset_normalizer.from_bytes(data).best()
    if match is None:
        raise _Skip("binary file or unknown text encoding")
    if match.encoding in _SINGLE_BYTE_LATIN:
        # Detection cannot tell these apart on short texts; cp1252 is by far the most common.
        try:
            return _checked(data.decode("cp1252"), "cp1252")
        except UnicodeDecodeError:
            pass
    return _checked(str(match), str(match.encoding))


def _checked(text: str, encoding: str) -> Decoded:
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise _Skip("empty file")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise _Skip(f"binary file ({controls} control characters), not text")
    return Decoded(text, encoding.replace("_", "-").lower())


def _doc_id_from_path(rel: str) -> str:
    return str(Path(rel).with_suffix("").as_posix())


def _text_record(text: str, rel: str, problems: _Problems) -> dict[str, Any] | None:
    meta, body = split_front_matter(text, rel, problems)
    if not body.strip():
        problems.add(rel, "no text after the front matter", "skipped")
        return None
    record = _normalise_keys(meta)
    record["text"] = body
    if "date" in record:
        record.setdefault("date_basis", "front matter")
    return record


def split_front_matter(text: str, rel: str, problems: _Problems) -> tuple[dict[str, Any], str]:
    """Split YAML front matter (between ``---`` lines at the very top) from the body.

    Parsed with ``yaml.safe_load`` (no object construction). Invalid front matter is reported
    and ignored; the body is kept.
    """
    if not re.match(r"---[ \t]*\r?\n", text):
        return {}, text
    end = re.search(r"^(?:---|\.\.\.)[ \t]*$\r?\n?", text[3:], re.MULTILINE)
    if end is None:
        problems.add(rel, "front matter opened with '---' is never closed", "read as plain text")
        return {}, text
    block, body = text[3 : 3 + end.start()], text[3 + end.end() :]
    try:
        meta = yaml.safe_load(block)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        reason = getattr(error, "problem", None) or type(error).__name__
        problems.add(rel, f"invalid YAML front matter{where}: {reason}", "metadata ignored")
        return {}, body
    if meta is None:
        return {}, body
    if not isinstance(meta, dict):
        problems.add(
            rel, f"front matter is a {type(meta).__name__}, not key: value pairs", "ignored"
        )
        return {}, body
    return meta, body


def _html_record(html: str, rel: str, problems: _Problems) -> dict[str, Any] | None:
    import trafilatura  # deferred: heavy, and only HTML corpora need it

    extracted = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or not text.strip():
        problems.add(rel, "no main text found in the HTML page", "skipped")
        return None
    record: dict[str, Any] = {"text": text}
    for key in ("title", "url", "author", "sitename", "date"):
        value = getattr(extracted, key, None)
        if _present(value):
            record["source" if key == "sitename" else key] = value
    if "date" in record:
        record["date_basis"] = "html metadata"
    return record


# --- manifests and frames --------------------------------------------------------------------


def _read_manifest_file(path: Path) -> pd.DataFrame:
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            frame = pd.read_parquet(path)
        else:
            text = decode(path.read_bytes()).text
            if suffix == ".csv":
                frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
            else:
                frame = _read_jsonl(text, path)
    except _Skip as error:
        raise CorpusError(f"{path}: {error}") from error
    except (ValueError, OSError, pd.errors.ParserError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise CorpusError(f"{path}: cannot be read as {suffix[1:]}: {first}") from error
    frame.columns = [_normalise_key(str(c)) for c in frame.columns]
    return frame


def _read_jsonl(text: str, path: Path) -> pd.DataFrame:
    rows, bad = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            bad.append(number)
            continue
        if isinstance(value, dict):
            rows.append(value)
        else:
            bad.append(number)
    if bad:
        shown = ", ".join(map(str, bad[:10])) + (" …" if len(bad) > 10 else "")
        warnings.warn(
            f"{path}: line(s) {shown} are not JSON objects; skipped", CorpusWarning, stacklevel=5
        )
    if not rows:
        raise ValueError("no JSON object lines")
    # object columns: JSON strings may hold lone surrogates, repaired (and reported) later
    return pd.DataFrame(rows, dtype=object)


def _has_text(frame: pd.DataFrame, text_column: str) -> bool:
    return _normalise_key(text_column) in frame.columns


def _no_text_column(where: str | Path | None, frame: pd.DataFrame, text_column: str) -> str:
    where = f"{where}: " if where is not None else ""
    columns = ", ".join(map(str, frame.columns)) or "none"
    return (
        f"{where}no {text_column!r} column with the documents' text (columns: {columns}); "
        "name the text column with text_column= (command line: --text-column)"
    )


def _read_frame(
    frame: pd.DataFrame, where: str, text_column: str, problems: _Problems, *, basis: str
) -> list[dict[str, Any]]:
    if not isinstance(frame, pd.DataFrame):
        raise CorpusError(f"{where}: expected a pandas DataFrame, got {type(frame).__name__}")
    frame = frame.rename(columns=lambda c: _normalise_key(str(c)))
    text_key = _normalise_key(text_column)
    if text_key not in frame.columns:
        raise CorpusError(_no_text_column(where, frame, text_column))
    if frame.empty:
        problems.add(where, "the manifest has no rows", "skipped")
    records = []
    for number, row in enumerate(frame.to_dict("records"), start=1):
        text = row.pop(text_key)
        label = f"{where}#{number}"
        if not isinstance(text, str) or not text.strip():
            problems.add(label, "no text in this row", "skipped")
            continue
        record = {str(k): v for k, v in row.items() if _present(v)}
        record["text"] = text
        if "date" in record:
            record.setdefault("date_basis", basis)
        record.setdefault("path", label)
        record.setdefault(
            "doc_id", f"{Path(where).stem if basis == 'manifest' else 'doc'}-{number}"
        )
        records.append(record)
    return records


def _normalise_key(key: str) -> str:
    key = key.strip().lower().replace(" ", "_").replace("-", "_")
    return METADATA_ALIASES.get(key, key)


def _normalise_keys(meta: Mapping[Any, Any]) -> dict[str, Any]:
    return {_normalise_key(str(k)): v for k, v in meta.items() if _present(v)}


def _present(value: Any) -> bool:
    """False for None, NaN, NaT, NA and blank strings."""
    if isinstance(value, str):
        return bool(value.strip())
    try:
        return not bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and other containers
        return True


# --- dates and the documents table -----------------------------------------------------------


def parse_date(value: Any) -> pd.Timestamp | None:
    """A day from a metadata value (date, datetime, ISO or written date), or None."""
    if isinstance(value, pd.Timestamp):
        stamp = value
    elif isinstance(value, dt.datetime | dt.date):
        stamp = pd.Timestamp(value)
    elif isinstance(value, str) and value.strip():
        missing = dt.datetime(1, 1, 1)
        try:
            parsed = dateparser.parse(value.strip(), default=missing)
        except (ValueError, OverflowError):
            return None
        if parsed.year == 1:
            return None
        stamp = pd.Timestamp(parsed)
    else:
        return None
    if pd.isna(stamp):
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp.normalize()


def find_date(text: str, path: str) -> tuple[pd.Timestamp | None, str]:
    """Date a document from its text (date line, dateline) or its file name."""
    head = text[:_HEAD_CHARS]
    for pattern, basis in ((DATE_LINE, "date line"), (_DATELINE, "dateline")):
        for match in pattern.finditer(head):
            stamp = parse_date(match.group("date"))
            if stamp is not None:
                return stamp, basis
    name = Path(path.split("#")[0]).name
    for match in _FILE_NAME_DATE.finditer(name):
        stamp = parse_date(f"{match['y']}-{match['m']}-{match['d']}")
        if stamp is not None:
            return stamp, "file name"
    return None, "none"


def _resolve_date(record: dict[str, Any], problems: _Problems) -> None:
    given = record.get("date")
    stamp = parse_date(given) if _present(given) else None
    if stamp is not None:
        record["date"] = stamp
        record["date_basis"] = str(record.get("date_basis") or "given")
        return
    stamp, basis = find_date(record["text"], record["path"])
    if _present(given):
        outcome = f"dated from the {basis} instead" if stamp is not None else "left undated"
        problems.add(record["path"], f"unparseable date {given!r}", outcome)
    record["date"], record["date_basis"] = stamp, basis


def _repair_surrogates(record: dict[str, Any], problems: _Problems) -> None:
    """Join surrogate halves left apart and replace lone ones with U+FFFD, saying so."""
    broken = [k for k, v in record.items() if isinstance(v, str) and _SURROGATE.search(v)]
    for key in broken:
        record[key] = (
            record[key].encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        )
    if broken:
        problems.add(
            record["path"],
            f"surrogate code points (not valid Unicode) in {', '.join(broken)}",
            "pairs joined, lone ones replaced with U+FFFD",
        )


def _documents_frame(records: list[dict[str, Any]], problems: _Problems) -> pd.DataFrame:
    given = {str(record["doc_id"]) for record in records}
    taken: set[str] = set()
    for record in records:
        _repair_surrogates(record, problems)
        _resolve_date(record, problems)
        doc_id = str(record["doc_id"])
        if doc_id in taken:  # renamed to the first "<id>~<n>" that no document has or is given
            n = 2
            while f"{doc_id}~{n}" in taken or f"{doc_id}~{n}" in given:
                n += 1
            new_id = f"{doc_id}~{n}"
            problems.add(record["path"], f"doc_id {doc_id!r} is used twice", f"renamed {new_id!r}")
            doc_id = new_id
        taken.add(doc_id)
        record["doc_id"] = doc_id
        for key, value in list(record.items()):
            if key != "date" and not isinstance(value, str | int | float | bool):
                record[key] = str(value)
    frame = pd.DataFrame.from_records(records)
    for column in ("source", "title", "url", "author"):
        if column not in frame.columns:
            frame[column] = pd.NA
    frame["date"] = pd.to_datetime(frame["date"])
    frame["n_removed"] = 0
    frame["duplicate_of"] = pd.NA
    frame["author"] = frame["author"].astype("string")
    frame = schema.coerce(frame, "documents")
    return frame.sort_values("doc_id", kind="stable").reset_index(drop=True)
