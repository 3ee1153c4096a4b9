"""Pure helpers of the business rules, mirroring src/spec/* (docs/pipeline-spec.md, Cleansing
and Sessionization). They are the Python oracle for the Spark expressions in cleanse.py and
sessionize.py and are tested on the same JSON vectors as the TypeScript helpers
(tests/fixtures/vectors/*.json).

The regular expressions are written once here and used both by Python (`re.fullmatch`) and by
Spark (Java regex, anchored with `^(?:...)\\z`; `$` would also match before a final line
terminator in Java, and `\\z` does not exist in Python's `re`, hence the two anchorings).
"""

from __future__ import annotations

import hashlib
import re

# §C1: only these four characters are whitespace (not NBSP or other Unicode spaces).
SPEC_SPACE = " \t\r\n"

# §C5: ASCII digits only, `T` or exactly one space, fraction 1-6 digits, zone Z or ±HH:MM.
EVENT_TIME_BODY = (
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(?:\.([0-9]{1,6}))?(Z|[+-][0-9]{2}:[0-9]{2})?"
)

# §C7: dotted quad, decimal octets 0-255 without leading zeros (a lone 0 is fine).
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])"
IPV4_BODY = rf"{_OCTET}(?:\.{_OCTET}){{3}}"
# §C7: eight groups of 1-4 hex digits; one `::` stands for one or more zero groups; no zone id,
# no embedded IPv4. Each alternative is one position of the `::`.
_H = r"[0-9A-Fa-f]{1,4}"
IPV6_BODY = (
    rf"(?:(?:{_H}:){{7}}{_H}"
    rf"|(?:{_H}:){{1,7}}:"
    rf"|(?:{_H}:){{1,6}}:{_H}"
    rf"|(?:{_H}:){{1,5}}(?::{_H}){{1,2}}"
    rf"|(?:{_H}:){{1,4}}(?::{_H}){{1,3}}"
    rf"|(?:{_H}:){{1,3}}(?::{_H}){{1,4}}"
    rf"|(?:{_H}:){{1,2}}(?::{_H}){{1,5}}"
    rf"|{_H}:(?::{_H}){{1,6}}"
    rf"|:(?:(?::{_H}){{1,7}}|:))"
)

# §C8, the spec's pattern verbatim: at most 10 integer digits and 2 decimals; decimal(12,2)
# never needs rounding. A copy of REVENUE_PATTERN in src/spec/parseRevenue.ts (the source),
# proved equal by tests/contracts.test.ts.
REVENUE_BODY = r"-?[0-9]{1,10}(\.[0-9]{1,2})?"

# §S2: a gap strictly greater than 30 minutes starts a new session.
SESSION_GAP_MICROS = 30 * 60 * 1_000_000

MICROS_PER_DAY = 86_400_000_000

# Namespaces are folder names and SQL identifiers: same rule as src/lakehouse/namespace.ts.
NAMESPACE_PATTERN = "^[a-z][a-z0-9_]{0,63}$"
_NAMESPACE = re.compile(NAMESPACE_PATTERN)


def is_valid_namespace(name: str) -> bool:
    return _NAMESPACE.fullmatch(name) is not None


def java_anchored(body: str) -> str:
    """The regex body anchored for Java (Spark's rlike / regexp_extract)."""
    return rf"^(?:{body})\z"


_EVENT_TIME = re.compile(EVENT_TIME_BODY)
_IPV4 = re.compile(IPV4_BODY)
_IPV6 = re.compile(IPV6_BODY)
_REVENUE = re.compile(REVENUE_BODY)
_DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def trim_field(text: str | None) -> str | None:
    """§C1: trims space, tab, CR, LF from both ends; an empty result (or None) is None."""
    if text is None:
        return None
    trimmed = text.strip(SPEC_SPACE)
    return trimmed or None


def is_leap_year(year: int) -> bool:
    return (year % 4 == 0 and year % 100 != 0) or year % 400 == 0


def is_valid_date(year: int, month: int, day: int) -> bool:
    if month < 1 or month > 12 or day < 1:
        return False
    days = 29 if month == 2 and is_leap_year(year) else _DAYS_IN_MONTH[month - 1]
    return day <= days


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil)."""
    y = year - 1 if month <= 2 else year
    era = y // 400
    yoe = y - era * 400
    mp = (month + 9) % 12
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(days: int) -> tuple[int, int, int]:
    """Inverse of days_from_civil: (year, month, day)."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (1 if month <= 2 else 0), month, day


def parse_event_time(text: str | None) -> int | None:
    """§C5: trimmed event_time text -> UTC microseconds since the epoch, or None."""
    if text is None:
        return None
    m = _EVENT_TIME.fullmatch(text)
    if m is None:
        return None
    ys, mos, ds, hs, mis, ss, frac, zone = m.groups()
    year, month, day = int(ys), int(mos), int(ds)
    hour, minute, second = int(hs), int(mis), int(ss)
    if not is_valid_date(year, month, day):
        return None
    if hour > 23 or minute > 59 or second > 59:
        return None
    offset = 0
    if zone is not None and zone != "Z":
        oh, om = int(zone[1:3]), int(zone[4:6])
        if oh > 18 or om > 59:
            return None
        offset = (-1 if zone[0] == "-" else 1) * (oh * 3600 + om * 60)
    frac_micros = int(frac.ljust(6, "0")) if frac is not None else 0
    seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
    return (seconds - offset) * 1_000_000 + frac_micros


def is_valid_ip(text: str | None) -> bool:
    """§C7: valid IPv4 dotted quad or IPv6 (text form as given, after trimming)."""
    if text is None:
        return False
    return _IPV4.fullmatch(text) is not None or _IPV6.fullmatch(text) is not None


def clean_ip(text: str | None) -> str | None:
    """§C7: the trimmed address when valid, else None (kept as text, not re-formatted)."""
    return text if is_valid_ip(text) else None


def parse_revenue_cents(text: str | None) -> int | None:
    """§C8: revenue text -> cents when it matches the grammar, else None. No rounding."""
    if text is None or _REVENUE.fullmatch(text) is None:
        return None
    negative = text.startswith("-")
    whole, _, frac = text.lstrip("-").partition(".")
    cents = int(whole) * 100 + int(frac.ljust(2, "0"))
    return -cents if negative else cents


def session_id(user_id: str, session_start_micros: int) -> str:
    """§S4: lower-case hex MD5 of `user_id|micros` (UTF-8)."""
    return hashlib.md5(f"{user_id}|{session_start_micros}".encode()).hexdigest()


def format_micros(micros: int) -> str:
    """Canonical timestamptz text `YYYY-MM-DDTHH:MM:SS.ffffffZ` (years 0000-9999 only)."""
    days, rest = divmod(micros, MICROS_PER_DAY)
    year, month, day = civil_from_days(days)
    if year < 0 or year > 9999:
        raise ValueError(f"timestamp {micros} µs is outside years 0000-9999")
    secs, frac = divmod(rest, 1_000_000)
    return (
        f"{year:04d}-{month:02d}-{day:02d}T{secs // 3600:02d}:{secs // 60 % 60:02d}:"
        f"{secs % 60:02d}.{frac:06d}Z"
    )


def format_cents(cents: int) -> str:
    """Cents as decimal text with exactly two decimals: 1230 -> 12.30, -50 -> -0.50."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    return f"{sign}{whole}.{frac:02d}"
