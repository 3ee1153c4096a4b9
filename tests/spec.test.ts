import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  formatCents,
  formatMicros,
  isValidIpAddress,
  normalizeEventType,
  parseEventTime,
  parseRevenue,
  sessionId,
  trimField,
  compareUtf8,
} from "../src/spec/index.ts";

interface Case<I, E> {
  input: I;
  expected: E;
  why: string;
}

function vectors<I, E>(name: string): Case<I, E>[] {
  const url = new URL(`./fixtures/vectors/${name}.json`, import.meta.url);
  const cases = JSON.parse(readFileSync(url, "utf8")) as Case<I, E>[];
  // Guard against an empty or truncated file silently passing.
  expect(cases.length).toBeGreaterThan(5);
  return cases;
}

const label = (c: { input: unknown; why: string }) => `${JSON.stringify(c.input)}: ${c.why}`;

describe("trimField (§C1) on tests/fixtures/vectors/trim.json", () => {
  for (const c of vectors<string | null, string | null>("trim")) {
    it(label(c), () => expect(trimField(c.input)).toBe(c.expected));
  }
});

describe("parseEventTime (§C5) on tests/fixtures/vectors/event_time.json", () => {
  const cases = vectors<string | null, string | null>("event_time");
  for (const c of cases) {
    it(label(c), () => {
      const got = parseEventTime(c.input);
      expect(got === null ? null : got.toString()).toBe(c.expected);
    });
  }
  it("has both accepted and refused cases", () => {
    expect(cases.filter((c) => c.expected === null).length).toBeGreaterThan(30);
    expect(cases.filter((c) => c.expected !== null).length).toBeGreaterThan(20);
  });
  it("round-trips every accepted instant through formatMicros", () => {
    for (const c of cases as (Case<string | null, string | null> & { expected_utc?: string })[]) {
      if (c.expected === null) continue;
      const text = formatMicros(BigInt(c.expected));
      expect(parseEventTime(text)).toBe(BigInt(c.expected));
      expect(text.startsWith(c.expected_utc!)).toBe(true);
    }
  });
});

describe("isValidIpAddress (§C7) on tests/fixtures/vectors/ip_address.json", () => {
  for (const c of vectors<string | null, boolean>("ip_address")) {
    it(label(c), () => expect(isValidIpAddress(c.input)).toBe(c.expected));
  }
});

describe("parseRevenue (§C8) on tests/fixtures/vectors/revenue.json", () => {
  for (const c of vectors<string | null, string | null>("revenue")) {
    it(label(c), () => {
      const cents = parseRevenue(c.input);
      expect(cents === null ? null : formatCents(cents)).toBe(c.expected);
    });
  }
});

describe("sessionId (§S3) on tests/fixtures/vectors/session_id.json", () => {
  type In = { user_id: string; session_start_micros: string };
  for (const c of vectors<In, string>("session_id")) {
    it(label(c), () =>
      expect(sessionId(c.input.user_id, BigInt(c.input.session_start_micros))).toBe(c.expected),
    );
  }
});

describe("normalizeEventType (§C6) on tests/fixtures/vectors/event_type.json", () => {
  for (const c of vectors<string | null, string>("event_type")) {
    it(label(c), () => expect(normalizeEventType(c.input)).toBe(c.expected));
  }
});

describe("compareUtf8", () => {
  it("orders nulls first, then UTF-8 bytes", () => {
    const sorted = ["b", null, "\u{1F600}", "\uFF5E", "B", "a"].sort(compareUtf8);
    expect(sorted).toEqual([null, "B", "a", "b", "\uFF5E", "\u{1F600}"]);
  });
});
