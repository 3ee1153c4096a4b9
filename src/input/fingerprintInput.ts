import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/** Snapshot summary key holding the fingerprint (also written by spark/etl_spark/main.py). */
export const INPUT_FINGERPRINT_KEY = "etl.input-fingerprint";

/** Blocks read from the file: 64 x 64 KiB = 4 MiB, the whole file when it is smaller. */
const BLOCKS = 64;
const BLOCK_BYTES = 64 << 10;

/**
 * A cheap identity of an input file for the duplicate-append check (docs/hardening.md):
 * `v1:<size>:<sha256>` where the hash covers the size and 64 blocks of 64 KiB spread evenly
 * over the file, first and last included (every byte when the file is under 4 MiB). It
 * costs ~4 MiB of reading whatever the size; hashing a whole 10M-event CSV (2.9 GB) costs
 * ~4 CPU seconds. Two different files collide only with equal size and equal sampled
 * blocks, e.g. an edit that keeps the length and falls between blocks; the refusal then
 * names the earlier snapshot and `--allow-duplicate-input` overrides it.
 */
export function fingerprintInput(path: string): string {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const hash = createHash("sha256").update(`${size}\n`);
    const buf = Buffer.allocUnsafe(BLOCK_BYTES);
    const read = (at: number, bytes: number) => {
      let got = 0;
      while (got < bytes) {
        const n = readSync(fd, buf, got, bytes - got, at + got);
        if (n === 0) break;
        got += n;
      }
      hash.update(buf.subarray(0, got));
    };
    if (size <= BLOCKS * BLOCK_BYTES) {
      for (let at = 0; at < size; at += BLOCK_BYTES) read(at, Math.min(BLOCK_BYTES, size - at));
    } else {
      const step = (size - BLOCK_BYTES) / (BLOCKS - 1);
      for (let i = 0; i < BLOCKS; i++) read(Math.round(i * step), BLOCK_BYTES);
    }
    return `v1:${size}:${hash.digest("hex")}`;
  } finally {
    closeSync(fd);
  }
}
