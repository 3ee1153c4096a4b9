import { closeSync, openSync, readSync } from "node:fs";

export type InputFormat = "csv" | "parquet";

/** Spec §I1/§I4: Parquet files start with the magic bytes `PAR1`; anything else is CSV. */
export function detectInputFormat(path: string): InputFormat {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(4);
    const n = readSync(fd, head, 0, 4, 0);
    return n === 4 && head.toString("latin1") === "PAR1" ? "parquet" : "csv";
  } finally {
    closeSync(fd);
  }
}
