"""The three output tables, mirroring src/lakehouse/tables.ts (same names, order, types,
required flags and day partition specs; Iceberg assigns field ids 1..n in this order).
tests/contracts.test.ts proves every constant here equal to its TypeScript source."""

from __future__ import annotations

from dataclasses import dataclass

RAW_COLUMNS = (
    "event_id",
    "user_id",
    "event_time",
    "event_type",
    "page_url",
    "referrer",
    "ip_address",
    "user_agent",
    "revenue",
)

REJECT_REASONS = (
    "missing_event_id",
    "missing_user_id",
    "missing_event_time",
    "invalid_event_time",
    "duplicate_event_id",
)


# §C10: the kept duplicate is the first under these cleansed columns, then the raw ones in
# RAW_COLUMNS order. A copy of DUPLICATE_ORDER in src/lakehouse/tables.ts (the source), proved
# equal by tests/contracts.test.ts.
DUPLICATE_ORDER = (
    "event_time",
    "user_id",
    "event_type",
    "page_url",
    "referrer",
    "ip_address",
    "user_agent",
    "revenue",
)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Iceberg type name as in tables.ts
    required: bool


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    partition_source: str | None  # column of the day() transform, None when unpartitioned

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _cols(*spec: tuple[str, str, bool]) -> tuple[Column, ...]:
    return tuple(Column(n, t, r) for n, t, r in spec)


EVENTS = Table(
    "events",
    _cols(
        ("event_id", "string", True),
        ("user_id", "string", True),
        ("event_time", "timestamptz", True),
        ("event_type", "string", True),
        ("page_url", "string", False),
        ("referrer", "string", False),
        ("ip_address", "string", False),
        ("user_agent", "string", False),
        ("revenue", "decimal(12,2)", False),
        ("country_code", "string", False),
        ("session_id", "string", True),
        ("event_seq", "int", True),
    ),
    "event_time",
)

SESSIONS = Table(
    "sessions",
    _cols(
        ("session_id", "string", True),
        ("user_id", "string", True),
        ("session_start", "timestamptz", True),
        ("session_end", "timestamptz", True),
        ("duration_seconds", "double", True),
        ("event_count", "int", True),
        ("page_view_count", "int", True),
        ("purchase_count", "int", True),
        ("revenue_total", "decimal(14,2)", True),
        ("country_code", "string", False),
        ("landing_page", "string", False),
        ("exit_page", "string", False),
        ("is_bounce", "boolean", True),
    ),
    "session_start",
)

REJECTS = Table(
    "rejects",
    _cols(*((c, "string", False) for c in RAW_COLUMNS), ("reject_reason", "string", True)),
    None,
)

TABLES = {t.name: t for t in (EVENTS, SESSIONS, REJECTS)}

# Iceberg type -> Spark SQL type (Spark's TIMESTAMP is Iceberg's timestamptz).
SPARK_TYPES = {
    "string": "STRING",
    "int": "INT",
    "long": "BIGINT",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
    "timestamptz": "TIMESTAMP",
    "decimal(12,2)": "DECIMAL(12,2)",
    "decimal(14,2)": "DECIMAL(14,2)",
}


def create_table_sql(qualified_name: str, table: Table) -> str:
    """CREATE TABLE IF NOT EXISTS with NOT NULL for required fields and the day partition."""
    cols = ",\n  ".join(
        f"{c.name} {SPARK_TYPES[c.type]}{' NOT NULL' if c.required else ''}" for c in table.columns
    )
    part = f"PARTITIONED BY (days({table.partition_source}))" if table.partition_source else ""
    return (
        f"CREATE TABLE IF NOT EXISTS {qualified_name} (\n  {cols}\n) USING iceberg {part} "
        "TBLPROPERTIES ('format-version'='2')"
    )
