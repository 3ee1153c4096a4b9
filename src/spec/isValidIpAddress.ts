// Spec §C7. Octets: a lone 0, or 1-3 digits without a leading zero (range checked below).
const IPV4 = /^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

/** Spec §C7, IPv4 half: four decimal octets 0-255, no leading zeros except a lone `0`. */
export function isValidIpv4(text: string): boolean {
  const m = IPV4.exec(text);
  return m !== null && m.slice(1).every((octet) => Number(octet) <= 255);
}

/**
 * Spec §C7, IPv6 half: eight groups of 1-4 hex digits (either case) separated by `:`,
 * where at most one `::` stands for ONE or more all-zero groups (so `::` alone and
 * `1:2:3:4:5:6:7::` are valid, `1:2:3:4:5:6:7:8::` is not). No zone id (`%eth0`), no
 * embedded IPv4 (`::ffff:1.2.3.4`), no brackets.
 */
export function isValidIpv6(text: string): boolean {
  const halves = text.split("::");
  if (halves.length > 2) return false;
  const groups = (part: string): string[] | null => {
    if (part === "") return [];
    const g = part.split(":");
    return g.every((x) => HEX_GROUP.test(x)) ? g : null;
  };
  if (halves.length === 1) {
    const g = groups(text);
    return g !== null && g.length === 8;
  }
  const left = groups(halves[0]);
  const right = groups(halves[1]);
  return left !== null && right !== null && left.length + right.length <= 7;
}

/** Spec §C7: the (trimmed) text is a valid IPv4 dotted quad or a valid IPv6 address. */
export function isValidIpAddress(text: string | null): boolean {
  if (text === null) return false;
  return isValidIpv4(text) || isValidIpv6(text);
}
