import { mkdir, readFile, rename, rm, stat, writeFile, copyFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { IcebergFileError } from "./errors.ts";

/** The only I/O the Iceberg writer and reader do; injected so tests can fake or break it. */
export interface FileIO {
  read(location: string): Promise<Buffer>;
  /** Creates a new file; fails if it exists (metadata files are never overwritten). */
  writeNew(location: string, data: Buffer): Promise<void>;
  size(location: string): Promise<number>;
  exists(location: string): Promise<boolean>;
  /** Moves a local file into the table (rename, or copy + delete across devices). */
  moveIn(fromPath: string, location: string): Promise<void>;
  delete(location: string): Promise<void>;
}

/**
 * Local paths from the location forms Iceberg writers use: `file:///a/b` (Java, us),
 * `file:/a/b` (Hadoop's Path.toString) and plain `/a/b` (PyIceberg with a bare warehouse).
 */
export function toLocalPath(location: string): string {
  if (location.startsWith("file://")) return fileURLToPath(location);
  if (location.startsWith("file:/")) return fileURLToPath(`file://${location.slice(5)}`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new IcebergFileError(`${location}: only local file locations are supported here`);
  }
  return resolve(location);
}

/** `file:///abs/path` for a local path; the form Spark's warehouse setting also produces. */
export function toFileUri(path: string): string {
  return pathToFileURL(resolve(path)).href;
}

function fileError(location: string, err: unknown, what: string): IcebergFileError {
  const code = (err as NodeJS.ErrnoException).code;
  const reason = code === "ENOENT" ? "file is missing" : (err as Error).message;
  return new IcebergFileError(`${location}: cannot ${what} (${reason})`);
}

export const localFileIO: FileIO = {
  async read(location) {
    try {
      return await readFile(toLocalPath(location));
    } catch (err) {
      throw fileError(location, err, "read");
    }
  },
  async writeNew(location, data) {
    const path = toLocalPath(location);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, data, { flag: "wx" });
  },
  async size(location) {
    try {
      return (await stat(toLocalPath(location))).size;
    } catch (err) {
      throw fileError(location, err, "stat");
    }
  },
  async exists(location) {
    try {
      await stat(toLocalPath(location));
      return true;
    } catch {
      return false;
    }
  },
  async moveIn(fromPath, location) {
    const to = toLocalPath(location);
    await mkdir(dirname(to), { recursive: true });
    try {
      await rename(fromPath, to);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EXDEV") throw fileError(fromPath, err, "move");
      await copyFile(fromPath, to);
      await rm(fromPath);
    }
  },
  async delete(location) {
    await rm(toLocalPath(location), { force: true });
  },
};
