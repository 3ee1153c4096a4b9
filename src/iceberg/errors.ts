/**
 * Named errors of the Iceberg writer and reader, in one file because they are a family of
 * one-line classes that callers match with instanceof.
 */

/** The catalog's metadata_location moved under us (compare-and-swap failed). */
export class CommitConflictError extends Error {
  override readonly name = "CommitConflictError";
}

export class NoSuchTableError extends Error {
  override readonly name = "NoSuchTableError";
}

/** A metadata, manifest or data file is missing or unreadable; the message names the file. */
export class IcebergFileError extends Error {
  override readonly name = "IcebergFileError";
}
