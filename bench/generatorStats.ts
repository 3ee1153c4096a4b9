// Measured shape of a generated file (for data/README.md): reject reasons as the spec
// classifies them, noise rates, funnel, timestamp forms, sessions at the 30-minute rule.
// Usage: node --import tsx bench/generatorStats.ts data/generated/clickstream-1m.csv
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { loadSettings } from "../src/config/settings.ts";
import { GeoDb } from "../src/geo/GeoDb.ts";
import {
  isValidIpAddress,
  isValidIpv6,
  normalizeEventType,
  parseEventTime,
  parseRevenue,
  trimField,
} from "../src/spec/index.ts";

/** Splits one CSV line (the generator never writes CR/LF inside a field). */
function splitLine(line: string): (string | null)[] {
  const out: (string | null)[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = "";
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        v += line.slice(i, q);
        if (line[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 2;
          break;
        }
      }
      out.push(v);
    } else {
      let j = line.indexOf(",", i);
      if (j < 0) j = line.length;
      out.push(j === i ? null : line.slice(i, j));
      i = j + 1;
    }
  }
  return out;
}

const path = process.argv[2];
if (!path) throw new Error("usage: bench/generatorStats.ts FILE.csv");
const geo = GeoDb.open(loadSettings().geoDb);
const c: Record<string, number> = {};
const inc = (k: string, n = 1): void => {
  c[k] = (c[k] ?? 0) + n;
};
const seen = new Set<string>();
const perUser = new Map<string, number[]>();
let rows = 0;
let header = true;
for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
  if (header) {
    header = false;
    continue;
  }
  rows++;
  const r = splitLine(line);
  const id = trimField(r[0]);
  const user = trimField(r[1]);
  const timeText = trimField(r[2]);
  const t = parseEventTime(timeText);
  if (id === null) inc("reject missing_event_id");
  else if (user === null) inc("reject missing_user_id");
  else if (timeText === null) inc("reject missing_event_time");
  else if (t === null) inc("reject invalid_event_time");
  else if (seen.has(id)) inc("reject duplicate_event_id");
  else {
    seen.add(id);
    const list = perUser.get(user);
    if (list) list.push(Number(t));
    else perUser.set(user, [Number(t)]);
  }
  const type = normalizeEventType(trimField(r[3]));
  inc(`type ${type}`);
  if (r[3] !== null && r[3] !== type) inc("noise event_type case/space");
  if (timeText !== null && t !== null) {
    inc("time valid");
    if (timeText[10] === " ") inc("time space separator");
    if (timeText.endsWith("Z")) inc("time zone Z");
    else if (/[+-]\d\d:\d\d$/.test(timeText)) inc("time zone offset");
    else inc("time zone none");
    const frac = /\.(\d+)/.exec(timeText);
    inc(`time fraction digits ${frac ? frac[1].length : 0}`);
  }
  const ip = trimField(r[6]);
  if (ip === null) inc("ip missing");
  else if (!isValidIpAddress(ip)) inc("ip malformed");
  else {
    inc("ip valid");
    if (isValidIpv6(ip)) inc("ip valid v6");
    if (geo.country(ip) !== null) inc("ip valid resolvable");
  }
  if (r.some((v, i) => i !== 3 && v !== null && trimField(v) !== null && trimField(v) !== v))
    inc("noise padded field");
  if (type === "purchase") {
    inc("purchase rows");
    if (parseRevenue(trimField(r[8])) === null) inc("purchase bad revenue");
  }
}
let sessions = 0;
let bounces = 0;
let exact30 = 0;
let over30 = 0;
const userCounts: number[] = [];
for (const list of perUser.values()) {
  list.sort((a, b) => a - b);
  userCounts.push(list.length);
  let len = 1;
  sessions++;
  for (let i = 1; i < list.length; i++) {
    const gap = list[i] - list[i - 1];
    if (gap === 1_800_000_000) exact30++;
    if (gap > 1_800_000_000 && gap <= 1_805_000_000) over30++;
    if (gap > 1_800_000_000) {
      if (len === 1) bounces++;
      sessions++;
      len = 1;
    } else len++;
  }
  if (len === 1) bounces++;
}
userCounts.sort((a, b) => b - a);
const top1 = userCounts.slice(0, Math.ceil(userCounts.length / 100)).reduce((a, b) => a + b, 0);
const kept = userCounts.reduce((a, b) => a + b, 0);
const share = (k: string, of = rows): string => `${(((c[k] ?? 0) / of) * 100).toFixed(3)} %`;
console.log(`rows ${rows}`);
for (const k of Object.keys(c).sort()) {
  const base =
    k.startsWith("time ") && k !== "time valid"
      ? c["time valid"]
      : k.startsWith("ip valid ")
        ? c["ip valid"]
        : k === "purchase bad revenue"
          ? c["purchase rows"]
          : rows;
  console.log(`${k}: ${c[k]} (${share(k, base)})`);
}
console.log(
  `users ${userCounts.length}, events kept ${kept}, top 1 % of users hold ${((top1 / kept) * 100).toFixed(1)} % of them`,
);
console.log(
  `sessions (30-min rule) ${sessions}, events/session ${(kept / sessions).toFixed(2)}, bounce ${((bounces / sessions) * 100).toFixed(1)} %`,
);
console.log(`gaps of exactly 30:00.000000 ${exact30}, gaps in (30:00, 30:05] ${over30}`);
