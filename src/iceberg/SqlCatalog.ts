import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { CommitConflictError, NoSuchTableError } from "./errors.ts";

export const CATALOG_NAME = "lakehouse";

/**
 * The SQL catalog shared with Iceberg Java's JdbcCatalog (schema V1, with iceberg_type) and
 * PyIceberg's SqlCatalog: same two tables, same columns, so every engine sees one catalog.
 */
const DDL = [
  `CREATE TABLE IF NOT EXISTS iceberg_tables (
     catalog_name VARCHAR(255) NOT NULL,
     table_namespace VARCHAR(255) NOT NULL,
     table_name VARCHAR(255) NOT NULL,
     metadata_location VARCHAR(1000),
     previous_metadata_location VARCHAR(1000),
     iceberg_type VARCHAR(5),
     PRIMARY KEY (catalog_name, table_namespace, table_name))`,
  `CREATE TABLE IF NOT EXISTS iceberg_namespace_properties (
     catalog_name VARCHAR(255) NOT NULL,
     namespace VARCHAR(255) NOT NULL,
     property_key VARCHAR(255) NOT NULL,
     property_value VARCHAR(1000) NOT NULL,
     PRIMARY KEY (catalog_name, namespace, property_key))`,
];

/** V1 rows are tables when iceberg_type is TABLE, or NULL (written by V0 / PyIceberg). */
const IS_TABLE = "(iceberg_type = 'TABLE' OR iceberg_type IS NULL)";

export interface TableRow {
  namespace: string;
  name: string;
  metadataLocation: string;
}

export class SqlCatalog {
  private readonly db: Database.Database;

  constructor(
    readonly warehouse: string,
    readonly name: string = CATALOG_NAME,
  ) {
    mkdirSync(warehouse, { recursive: true });
    this.db = new Database(join(resolve(warehouse), "catalog.db"));
    // Concurrent writers (other processes, Spark) hold the lock briefly; wait instead of failing.
    this.db.pragma("busy_timeout = 30000");
    if (!this.schemaReady()) {
      this.db
        .transaction(() => {
          for (const ddl of DDL) this.db.exec(ddl);
          // A catalog created by PyIceberg lacks the column; Java V1 adds it the same way.
          if (!this.hasTypeColumn()) {
            this.db.exec("ALTER TABLE iceberg_tables ADD COLUMN iceberg_type VARCHAR(5)");
          }
        })
        .immediate();
    }
  }

  /** Read-only check first, so readers never need the write lock (see docs/iceberg.md). */
  private schemaReady(): boolean {
    const n = this.db
      .prepare(
        `SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'
           AND name IN ('iceberg_tables', 'iceberg_namespace_properties')`,
      )
      .get() as { n: number };
    return n.n === 2 && this.hasTypeColumn();
  }

  private hasTypeColumn(): boolean {
    const cols = this.db.prepare("PRAGMA table_info(iceberg_tables)").all() as { name: string }[];
    return cols.some((c) => c.name === "iceberg_type");
  }

  close(): void {
    this.db.close();
  }

  createNamespace(namespace: string): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO iceberg_namespace_properties
           (catalog_name, namespace, property_key, property_value) VALUES (?, ?, 'exists', 'true')`,
      )
      .run(this.name, namespace);
  }

  listNamespaces(): string[] {
    const rows = this.db
      .prepare(
        `SELECT table_namespace AS ns FROM iceberg_tables WHERE catalog_name = ?
         UNION SELECT namespace AS ns FROM iceberg_namespace_properties WHERE catalog_name = ?
         ORDER BY ns`,
      )
      .all(this.name, this.name) as { ns: string }[];
    return rows.map((r) => r.ns);
  }

  listTables(namespace?: string): TableRow[] {
    const rows = this.db
      .prepare(
        `SELECT table_namespace AS namespace, table_name AS name, metadata_location AS loc
         FROM iceberg_tables WHERE catalog_name = ? AND ${IS_TABLE}
           AND (? IS NULL OR table_namespace = ?)
         ORDER BY table_namespace, table_name`,
      )
      .all(this.name, namespace ?? null, namespace ?? null) as {
      namespace: string;
      name: string;
      loc: string;
    }[];
    return rows.map((r) => ({ namespace: r.namespace, name: r.name, metadataLocation: r.loc }));
  }

  /** Current metadata location, or null when the table does not exist. */
  metadataLocation(namespace: string, table: string): string | null {
    const row = this.db
      .prepare(
        `SELECT metadata_location AS loc FROM iceberg_tables
         WHERE catalog_name = ? AND table_namespace = ? AND table_name = ? AND ${IS_TABLE}`,
      )
      .get(this.name, namespace, table) as { loc: string } | undefined;
    return row?.loc ?? null;
  }

  requireMetadataLocation(namespace: string, table: string): string {
    const loc = this.metadataLocation(namespace, table);
    if (!loc) {
      throw new NoSuchTableError(
        `table ${this.name}.${namespace}.${table} is not in ${this.warehouse}/catalog.db ` +
          `(tables: ${
            this.listTables()
              .map((t) => `${t.namespace}.${t.name}`)
              .join(", ") || "none"
          })`,
      );
    }
    return loc;
  }

  /** Registers a new table; false when another writer created it first. */
  createTable(namespace: string, table: string, metadataLocation: string): boolean {
    const res = this.db
      .prepare(
        `INSERT OR IGNORE INTO iceberg_tables (catalog_name, table_namespace, table_name,
           metadata_location, previous_metadata_location, iceberg_type)
         VALUES (?, ?, ?, ?, NULL, 'TABLE')`,
      )
      .run(this.name, namespace, table, metadataLocation);
    return res.changes === 1;
  }

  /**
   * The compare-and-swaps of several tables in ONE SQLite transaction: all of them, or none
   * (the first that finds another pointer throws CommitConflictError and rolls the others
   * back). A reader of the catalog, Spark's JdbcCatalog and PyIceberg included, sees every
   * table before or every table after, never a mix. Same rows and columns as the single swap.
   */
  swapMetadataLocations(
    swaps: readonly { namespace: string; table: string; expected: string; next: string }[],
  ): void {
    const update = this.db.prepare(
      `UPDATE iceberg_tables SET metadata_location = ?, previous_metadata_location = ?
       WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?
         AND metadata_location = ?`,
    );
    this.db
      .transaction(() => {
        for (const s of swaps) {
          const res = update.run(s.next, s.expected, this.name, s.namespace, s.table, s.expected);
          if (res.changes !== 1) {
            const now = this.metadataLocation(s.namespace, s.table);
            throw new CommitConflictError(
              `commit of ${s.namespace}.${s.table} lost a race: catalog points at ${now}, ` +
                `this writer started from ${s.expected}`,
            );
          }
        }
      })
      .immediate();
  }

  /** Compare-and-swap of the metadata pointer: the commit point of every write. */
  swapMetadataLocation(namespace: string, table: string, expected: string, next: string): void {
    const res = this.db
      .prepare(
        `UPDATE iceberg_tables SET metadata_location = ?, previous_metadata_location = ?
         WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?
           AND metadata_location = ?`,
      )
      .run(next, expected, this.name, namespace, table, expected);
    if (res.changes !== 1) {
      const now = this.metadataLocation(namespace, table);
      throw new CommitConflictError(
        `commit of ${namespace}.${table} lost a race: catalog points at ${now}, ` +
          `this writer started from ${expected}`,
      );
    }
  }
}
