import type { GeoDb } from "../geo/GeoDb.ts";
import { SplitMix32 } from "./SplitMix32.ts";

/** Sizes of the address pool; the pool is built once per run and is deterministic per seed and DB. */
const PUBLIC_V4 = 4000;
const PUBLIC_V6 = 1000;
const PRIVATE = 300;
/** Gives up instead of spinning forever on a database that answers (almost) nothing. */
const MAX_TRIES = 400_000;

/** First 16 bits of the IPv6 ranges sampled (RIR allocations for 2001, 24xx, 26xx, 28xx, 2axx, 2cxx). */
const V6_PREFIXES = [0x2001, 0x2400, 0x2600, 0x2800, 0x2a00, 0x2c00] as const;

/**
 * A deterministic pool of client addresses: public IPv4 and IPv6 addresses drawn at
 * random and kept only when the IP database has a country for them, plus private ones
 * (RFC 1918, RFC 4193) that no country database resolves.
 */
export class IpPool {
  /** All addresses: public v4, then public v6, then private. */
  readonly addresses: string[];
  readonly publicV4: number;
  readonly publicV6: number;
  readonly private: number;

  private constructor(v4: string[], v6: string[], priv: string[]) {
    this.addresses = [...v4, ...v6, ...priv];
    this.publicV4 = v4.length;
    this.publicV6 = v6.length;
    this.private = priv.length;
  }

  static build(geo: GeoDb, seed: number): IpPool {
    const rng = new SplitMix32(SplitMix32.hash2(seed, 0x1b9001));
    const seen = new Set<string>();
    const v4: string[] = [];
    for (let tries = 0; v4.length < PUBLIC_V4 && tries < MAX_TRIES; tries++) {
      const a = rng.next();
      const first = a >>> 24;
      // Skip 0/8, 10/8, 127/8 and multicast/reserved 224/3: never real clients.
      if (first === 0 || first === 10 || first === 127 || first >= 224) continue;
      const ip = `${first}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
      if (!seen.has(ip) && geo.country(ip) !== null) {
        seen.add(ip);
        v4.push(ip);
      }
    }
    const v6: string[] = [];
    for (let tries = 0; v6.length < PUBLIC_V6 && tries < MAX_TRIES; tries++) {
      const groups = [V6_PREFIXES[rng.below(V6_PREFIXES.length)] + (rng.next() & 0x0f)];
      groups.push(rng.next() & 0xffff);
      // Real addresses are mostly zero in the middle (subnet + small host id).
      const sparse = rng.float() < 0.6;
      for (let i = 2; i < 8; i++) {
        groups.push(
          sparse && i < 7 && i > 3 ? 0 : i === 7 ? rng.next() & 0xffff : rng.next() & 0xffff,
        );
      }
      const ip = formatIpv6(groups, rng.next());
      if (!seen.has(ip) && geo.country(ip) !== null) {
        seen.add(ip);
        v6.push(ip);
      }
    }
    if (v4.length < PUBLIC_V4 / 10) {
      throw new Error(
        `IP database ${geo.info.path} resolved only ${v4.length} of ${MAX_TRIES} random IPv4 addresses: ` +
          "is it a country database? Pass another one with --geo-db.",
      );
    }
    const priv: string[] = [];
    while (priv.length < PRIVATE) {
      const a = rng.next();
      const k = priv.length % 4;
      const ip =
        k === 0
          ? `10.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${(a & 253) + 1}`
          : k === 1
            ? `192.168.${(a >>> 8) & 255}.${(a & 253) + 1}`
            : k === 2
              ? `172.${16 + ((a >>> 16) & 15)}.${(a >>> 8) & 255}.${(a & 253) + 1}`
              : `fd${((a >>> 24) & 255).toString(16).padStart(2, "0")}:${((a >>> 8) & 0xffff).toString(16)}::${(a & 0xff) + 1}`;
      if (!seen.has(ip)) {
        seen.add(ip);
        priv.push(ip);
      }
    }
    return new IpPool(v4, v6, priv);
  }
}

/**
 * IPv6 text in the forms clients send: mostly compressed lower case (RFC 5952), some
 * upper case, some full eight groups with leading zeros; all valid under spec Cleansing 7.
 */
function formatIpv6(groups: number[], r: number): string {
  const form = r % 10;
  if (form === 0) return groups.map((g) => g.toString(16).padStart(4, "0")).join(":");
  // Longest run of zero groups (length >= 2) becomes "::".
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  const text =
    bestStart < 0
      ? hex.join(":")
      : `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
  return form === 1 ? text.toUpperCase() : text;
}
