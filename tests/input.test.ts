import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkCsv } from "../src/input/checkCsv.ts";

describe("checkCsv names the line of the first fault", () => {
  const dir = mkdtempSync(join(tmpdir(), "checkcsv-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const check = (text: string | Buffer, chunk?: number) => {
    const path = join(dir, "f.csv");
    writeFileSync(path, text);
    return checkCsv(path, chunk);
  };

  it("accepts RFC 4180 with CRLF, quoted commas, quotes and line breaks", () => {
    const text = 'a,b,c\r\n1,"x,y","say ""hi"""\r\n2,"multi\r\nline",\r\n3,,""';
    expect(check(text)).toBeNull();
    expect(check(text, 8)).toBeNull();
  });

  it("refuses short and long rows, naming the record's first line", () => {
    expect(check('a,b,c\n1,2,3\n"x\ny",5\n')).toEqual({
      line: 3,
      message: "expected 3 fields as in the header, found 2",
    });
    expect(check("a,b,c\n1,2,3\n1,2,3,4\n")?.line).toBe(3);
    expect(check("a,b,c\n1,2,3\n\n4,5,6\n")?.line).toBe(3);
    expect(check("a,b,c\n1,2,3\n4,5")?.line).toBe(3);
  });

  it("refuses unbalanced quotes and bytes that are not UTF-8", () => {
    expect(check('a,b,c\n1,2,3\n4,"5,6\n7,8,9\n')?.line).toBe(3);
    expect(check('a,b,c\n1,2,3\n4,5"x,6\n')?.line).toBe(3);
    expect(check('a,b,c\n1,"2"x,3\n')?.line).toBe(2);
    const bad = Buffer.concat([
      Buffer.from("a,b,c\n1,2,3\n1,2,3\n4,"),
      Buffer.from([0xff]),
      Buffer.from(",6\n"),
    ]);
    expect(check(bad)).toEqual({ line: 4, message: "bytes that are not UTF-8" });
    expect(check(bad, 4)?.line).toBe(4);
  });
});
