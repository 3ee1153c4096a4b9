"""Python mirror of src/verify/canonical.ts: the CANONICAL CSV text of a table and its
fingerprint (docs/pipeline-spec.md §O3).

Values accepted per column type (anything else raises, naming the row and column):
- string: str.
- timestamptz: int = microseconds since 1970-01-01T00:00:00Z; datetime (naive = UTC);
  ISO text in the §C5 grammar.
- decimal(p,2): Decimal or decimal text ("12.3", "-0.5"; more decimals only when zeros);
  int = CENTS (1230 -> 12.30).
- double: float or int, written with 6 decimals; it must be exactly the double nearest to
  those decimals (duration_seconds = micros / 1e6), else it is refused: see canonical.ts.
- int / long: int. boolean: bool.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from .spec import format_cents, format_micros, parse_event_time
from .tables import Column, Table

_NEEDS_QUOTES = re.compile(r'[,"\r\n]|^[ \t\r\n]|[ \t\r\n]$')
_DECIMAL_TEXT = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def to_canonical_csv(table: Table, rows: Iterable[Mapping[str, Any]]) -> str:
    lines = [
        ",".join(_field(table, col, row[col.name], i) for col in table.columns)
        for i, row in enumerate(rows)
    ]
    lines.sort(key=lambda line: line.encode("utf-8"))
    return "\n".join([",".join(table.column_names), *lines]) + "\n"


def fingerprint(table: Table, rows: Iterable[Mapping[str, Any]]) -> str:
    return hashlib.sha256(to_canonical_csv(table, rows).encode("utf-8")).hexdigest()


def canonical_value(col: Column, value: Any) -> str:
    return _field(Table("value", (col,), None), col, value, -1)


def _field(table: Table, col: Column, value: Any, row_index: int) -> str:
    if value is None:
        return ""

    def fail(what: str) -> str:
        where = f"{table.name} row {row_index + 1}" if row_index >= 0 else table.name
        raise ValueError(f"{where}, column {col.name} ({col.type}): {what}; got {value!r}")

    kind = col.type
    if kind == "string":
        if not isinstance(value, str):
            return fail("expected a string")
        return _quote(value)
    if kind == "timestamptz":
        return format_micros(_to_micros(value, fail))
    if kind.startswith("decimal("):
        return format_cents(_to_cents(value, fail))
    if kind == "double":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return fail("expected a number")
        text = f"{float(value) + 0.0:.6f}"
        if float(text) != float(value):
            return fail(f"{value!r} is not the double nearest to {text} (expected micros / 1e6)")
        return text
    if kind in ("int", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            return fail("expected an integer")
        return str(value)
    if kind == "boolean":
        if not isinstance(value, bool):
            return fail("expected a boolean")
        return "true" if value else "false"
    return fail("unknown column type")


def _quote(text: str) -> str:
    if text == "" or _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _to_micros(value: Any, fail) -> int:
    if isinstance(value, bool):
        return fail("expected microseconds")
    if isinstance(value, int):
        return value
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        delta = aware - _EPOCH
        return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    if isinstance(value, str):
        text = value + ":00" if re.search(r"[+-][0-9]{2}$", value) else value
        micros = parse_event_time(text)
        if micros is None:
            return fail("text is not an ISO timestamp in the §C5 grammar")
        return micros
    return fail("expected microseconds (int), datetime or ISO text")


def _to_cents(value: Any, fail) -> int:
    if isinstance(value, bool):
        return fail("expected a decimal")
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        cents = value * 100
        if cents != cents.to_integral_value():
            return fail("more than 2 non-zero decimals (no rounding, §C8)")
        return int(cents)
    if isinstance(value, str):
        m = _DECIMAL_TEXT.fullmatch(value)
        if m is None:
            return fail("decimal text must look like -12.30")
        sign, whole, frac = m.group(1), m.group(2), m.group(3) or ""
        if re.search(r"[1-9]", frac[2:]):
            return fail("more than 2 non-zero decimals (no rounding, §C8)")
        cents = int(whole) * 100 + int(frac[:2].ljust(2, "0"))
        return -cents if sign == "-" else cents
    return fail("expected Decimal, decimal text or int cents")
