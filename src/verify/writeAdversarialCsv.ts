import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../config/settings.ts";
import { RAW_COLUMNS } from "../lakehouse/tables.ts";

/** Small deterministic PRNG (mulberry32) so a seed always gives the same file. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function vectorInputs(name: string): string[] {
  const path = join(projectRoot, "tests", "fixtures", "vectors", `${name}.json`);
  const cases = JSON.parse(readFileSync(path, "utf8")) as { input: unknown }[];
  return cases.map((c) => c.input).filter((x): x is string => typeof x === "string");
}

/**
 * Writes a CSV of `rows` adversarial rows for engine-vs-reference checks: every field is
 * drawn from the edge cases of tests/fixtures/vectors (times, addresses, revenues, event
 * types incl. non-ASCII case mapping), padded with §C1 whitespace or NO-BREAK SPACE, with
 * few event ids (many duplicates, many exact-time ties) and few users, and session gaps
 * near 30 minutes. Well-formed RFC 4180, so every engine must accept it.
 */
export function writeAdversarialCsv(path: string, rows: number, seed = 1): void {
  const r = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)];
  const times = vectorInputs("event_time");
  const ips = vectorInputs("ip_address");
  const revenues = vectorInputs("revenue");
  const types = [...vectorInputs("event_type"), "page_view", "purchase", "PURCHASE", "Page_View"];
  const users = ["u1", "U1", "u2", "usér", "\u{1F600}", "u|1", " u1", "u1\t"];
  const pages = ["/a", "/b", "/caf\u00e9", "/x,y", 'say "hi"', "\u00a0/nbsp", "line\nbreak", ""];
  const pads = ["", "", "", " ", "\t", "\r\n", "  ", "\u00a0"];
  const pad = (v: string) => (r() < 0.15 ? pick(pads) + v + pick(pads) : v);
  // Near-boundary times: a base instant plus whole half-hours (spread so that consecutive
  // events of a user are often exactly 30 min apart) and a few microseconds either way.
  const base = Date.UTC(2026, 0, 1) * 1000;
  const nearGap = () => {
    const steps = Math.floor(r() * 400);
    const jitter = pick([0, 0, 1, -1, 999999, 0]);
    const micros = BigInt(base) + BigInt(steps) * 1_800_000_000n + BigInt(jitter);
    const secs = micros / 1_000_000n;
    const frac = String(micros % 1_000_000n).padStart(6, "0");
    return `${new Date(Number(secs) * 1000).toISOString().slice(0, 19)}.${frac}Z`;
  };
  const field = (v: string | null) => {
    if (v === null || v === "") return r() < 0.5 ? "" : '""';
    return /[",\r\n]/.test(v) || r() < 0.1 ? `"${v.replaceAll('"', '""')}"` : v;
  };
  const fresh = (i: number): (string | null)[] => [
    r() < 0.03 ? pick(["", "  "]) : pad(`e${Math.floor(r() * rows * 0.6)}`),
    r() < 0.03 ? null : pad(pick(users)),
    r() < 0.03 ? null : pad(r() < 0.5 ? nearGap() : pick(times)),
    r() < 0.1 ? null : pad(pick(types)),
    pad(pick(pages)),
    r() < 0.5 ? null : pad(pick(pages)),
    r() < 0.2 ? null : pad(pick(ips)),
    r() < 0.2 ? null : pad(pick(["UA", "Mozilla/5.0", "\u00fc", "a,b"])),
    r() < 0.5 ? null : pad(pick(revenues)),
    `x${i}`,
  ];
  const written: (string | null)[][] = [];
  for (let i = 0; i < rows; i++) {
    let values = fresh(i);
    // A third of the rows copy an earlier row and redraw one or two columns (or only
    // re-pad one), so that §C10 ties reach every tie-break level down to the raw values.
    if (written.length > 0 && r() < 0.33) {
      const copy = [...pick(written)];
      for (let k = r() < 0.5 ? 1 : 2; k > 0; k--) {
        const col = 1 + Math.floor(r() * 8);
        const raw = copy[col];
        copy[col] = r() < 0.3 && raw !== null ? pad(raw.trim()) : values[col];
      }
      copy[9] = `x${i}`;
      values = copy;
    }
    written.push(values);
  }
  const lines = [[...RAW_COLUMNS, "extra"].join(",")];
  for (const values of written) lines.push(values.map(field).join(","));
  writeFileSync(path, lines.join("\n") + "\n");
}
