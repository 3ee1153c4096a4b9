/**
 * Spec §C6: the trimmed event_type lower-cased with the Unicode default (full, locale-free)
 * lower-case mapping, as JS toLowerCase, Python str.lower and Rust to_lowercase do; null
 * becomes `unknown`.
 */
export function normalizeEventType(trimmed: string | null): string {
  return trimmed === null ? "unknown" : trimmed.toLowerCase();
}
