import { appendFileSync, readFileSync } from "node:fs";
import type { FileIO } from "./fileIO.ts";

/**
 * A FileIO that appends every location it is about to create (writeNew, moveIn) to a journal
 * file first, so that after a crash the files a commit may have left in the table are known
 * exactly; the cleanup deletes those that no metadata references (findOrphanFiles).
 */
export function journaledFileIO(io: FileIO, journalPath: string): FileIO {
  const note = (location: string) => appendFileSync(journalPath, `${location}\n`);
  return {
    ...io,
    async writeNew(location, data) {
      note(location);
      await io.writeNew(location, data);
    },
    async moveIn(fromPath, location) {
      note(location);
      await io.moveIn(fromPath, location);
    },
  };
}

/** Locations listed in a journal (empty when there is none). */
export function readJournal(journalPath: string): string[] {
  try {
    return readFileSync(journalPath, "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
}
