import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseMemorySize } from "../src/config/memorySize.ts";
import { csvNeedsFullCheck } from "../src/engines/duckdb/csvNeedsFullCheck.ts";
import { fingerprintInput } from "../src/input/fingerprintInput.ts";
import { isValidNamespace } from "../src/lakehouse/namespace.ts";

const work = mkdtempSync(join(tmpdir(), "etl-guards-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
const file = (content: string | Buffer) => {
  const p = join(work, `f${n++}`);
  writeFileSync(p, content);
  return p;
};

describe("csvNeedsFullCheck counts fields outside quotes (DuckDB drops extra empty fields)", () => {
  const h = "a,b,c\n";
  it.each([
    ["well-formed", `${h}1,2,3\n4,5,6\n`, false],
    ["no final line break", `${h}1,2,3\n4,5,6`, false],
    ["CRLF", `a,b,c\r\n1,2,3\r\n`, false],
    ["quoted commas and line breaks", `${h}1,"x,y\nz",3\n"4,","5","6"\n`, false],
    ["extra empty field", `${h}1,2,3\n4,5,6,\n`, true],
    ["extra empty field, CRLF", `a,b,c\r\n1,2,3,\r\n`, true],
    ["extra quoted empty field", `${h}1,2,3,""\n`, true],
    ["extra empty field on the last line without break", `${h}1,2,3\n4,5,6,`, true],
    ["two extra empty fields", `${h}1,2,3,,\n`, true],
  ])("%s", (_name, text, suspicious) => {
    expect(csvNeedsFullCheck(file(text))).toBe(suspicious);
  });

  it("across chunk boundaries, inside and outside quotes", () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `${i},"q,${i}\n..",x`).join("\n");
    expect(csvNeedsFullCheck(file(`${h}${rows}\n`), 64)).toBe(false);
    expect(csvNeedsFullCheck(file(`${h}${rows}\n1,2,3,\n`), 64)).toBe(true);
  });
});

describe("fingerprintInput", () => {
  it("is the same for the same bytes and differs with a byte or the size", () => {
    const big = Buffer.alloc(9 << 20, "a");
    const a = fingerprintInput(file(big));
    expect(fingerprintInput(file(big))).toBe(a);
    expect(a).toMatch(/^v1:9437184:[0-9a-f]{64}$/);
    const changedHead = Buffer.from(big);
    changedHead[0] = 0x62;
    expect(fingerprintInput(file(changedHead))).not.toBe(a);
    const changedTail = Buffer.from(big);
    changedTail[changedTail.length - 1] = 0x62;
    expect(fingerprintInput(file(changedTail))).not.toBe(a);
    expect(fingerprintInput(file(big.subarray(1)))).not.toBe(a);
    expect(fingerprintInput(file("x,y\n"))).not.toBe(fingerprintInput(file("x,z\n")));
  });
});

describe("parseMemorySize", () => {
  it.each([
    ["4GB", "4GB", "4g", 4e9],
    ["512mb", "512MB", "512m", 512e6],
    ["2g", "2GB", "2g", 2e9],
    ["1GiB", "1GiB", "1g", 2 ** 30],
  ])("%s", (text, duckdb, spark, bytes) => {
    expect(parseMemorySize(text)).toEqual({ duckdb, spark, bytes });
  });
  it.each(["garbage", "", "4", "1.5GB", "0GB", "-1GB", "4 PB"])(
    "refuses %j naming the option",
    (text) => {
      expect(() => parseMemorySize(text)).toThrow(/--memory-limit .* is not a memory size/);
    },
  );
});

describe("namespaces", () => {
  it.each(["duckdb", "polars", "spark", "run_2", "a", "x".repeat(64)])("accepts %s", (ns) => {
    expect(isValidNamespace(ns)).toBe(true);
  });
  it.each([
    "",
    ".",
    "..",
    "../esc",
    "a/b",
    "A",
    "2run",
    "_x",
    "a-b",
    "a b",
    'a"b',
    "x".repeat(65),
    "a\n",
  ])("refuses %j", (ns) => {
    expect(isValidNamespace(ns)).toBe(false);
  });
});
