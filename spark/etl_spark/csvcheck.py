"""CSV well-formedness (docs/pipeline-spec.md §I2, §I3): strict UTF-8, RFC 4180 quoting,
every record with the header's number of fields; errors name the file and the line.

Spark's FAILFAST reader refuses most bad files but names no line, accepts some misplaced
quotes and decodes bad bytes to U+FFFD. So the job first checks every physical line in
Spark (one regex per line plus is_valid_utf8, in parallel); a line that fails is either an
error or part of a record that spans lines, and only then this module's exact (slower,
single-threaded) tokenizer reads the file to name the line or to confirm that the file is
valid with multi-line records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

_QUOTED = re.compile(r'"(?:[^"]|"")*"')
# §I2 Decision: a lone CR (not before LF) is data.
_UNQUOTED = re.compile(r'[^",\r\n]*(?:\r(?!\n)[^",\r\n]*)*')
_BOM = "\ufeff"


@dataclass(frozen=True)
class CsvShape:
    header: list[str]
    records: int
    # True when a quoted field holds a line break: Spark must then read with multiLine.
    multiline: bool


def spark_line_regex(fields: int) -> str:
    """Java regex one physical line of a one-line record with `fields` fields must match
    (a final CR is the CR of CRLF)."""
    # Unrolled loops with possessive quantifiers: a character-class scan per field, no
    # per-character alternation or backtracking (this runs over every byte of the input).
    quoted = r'"[^"]*+(?:""[^"]*+)*+"'
    unquoted = r'[^",\r]*+(?:\r(?!\z)[^",\r]*+)*+'
    field = f"(?:{quoted}|{unquoted})"
    return rf"^{field}(?:,{field}){{{fields - 1}}}\r?\z"


def read_header(path: Path) -> list[str]:
    """The header record (first line; a UTF-8 byte-order mark is skipped, §I2 Decision)."""
    with path.open("rb") as f:
        first = f.readline()
    if not first:
        raise InputError(f"{path}: header lacks column event_id (§I3: the file is empty)")
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path} line 1: bytes that are not UTF-8 (§I2)") from None
    if text.startswith(_BOM):
        text = text[1:]
    records = list(_records(path, text, header_only=True))
    return records[0][0] if records else [""]


def check_csv(path: Path, width: int | None = None) -> CsvShape:
    """Reads the whole file; raises InputError naming the file and line of the first fault."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputError(
            f"{path} line {line}: bytes that are not UTF-8 (§I2); re-encode the file as UTF-8"
        ) from None
    if text.startswith(_BOM):
        text = text[1:]
    header: list[str] | None = None
    records = 0
    multiline = False
    for fields, start_line, spans in _records(path, text, header_only=False):
        if header is None:
            header = fields
            width = width or len(header)
            continue
        records += 1
        multiline = multiline or spans
        if len(fields) != width:
            raise InputError(
                f"{path} line {start_line}: expected {width} fields as in the header, found "
                f"{len(fields)} (§I2); fix or remove that line"
            )
    if header is None:
        raise InputError(f"{path}: header lacks column event_id (§I3: the file is empty)")
    return CsvShape(header, records, multiline)


def _records(path: Path, text: str, header_only: bool):
    """Yields (fields, start line, spans lines) per record, or raises InputError (§I2)."""
    pos, line, end = 0, 1, len(text)
    while pos < end:
        start_line, fields, spans = line, [], False
        while True:
            if text.startswith('"', pos):
                m = _QUOTED.match(text, pos)
                if m is None:
                    if header_only:
                        return
                    raise InputError(
                        f"{path} line {line}: a quoted field is never closed (unbalanced quote, "
                        "§I2)"
                    )
                value = m.group(0)[1:-1].replace('""', '"')
                breaks = m.group(0).count("\n")
                line += breaks
                spans = spans or breaks > 0
                quoted = True
            else:
                m = _UNQUOTED.match(text, pos)
                value, quoted = m.group(0), False
            fields.append(value)
            pos = m.end()
            if text.startswith(",", pos):
                pos += 1
                continue
            if pos >= end:
                break
            if text.startswith("\n", pos) or text.startswith("\r\n", pos):
                pos += 1 if text[pos] == "\n" else 2
                line += 1
                break
            what = (
                "text after the closing quote of a field"
                if quoted
                else "a quote inside an unquoted field"
            )
            raise InputError(f"{path} line {line}: {what} (unbalanced quote, §I2)")
        yield fields, start_line, spans
        if header_only:
            return
