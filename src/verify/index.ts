export { toCanonicalCsv, fingerprint, canonicalValue } from "./canonical.ts";
export { canonicalFromParquet } from "./canonicalFromParquet.ts";
export { diffCanonical, canonicalRecords } from "./diffCanonical.ts";
export { compareEngineToReference } from "./compareEngineToReference.ts";
export type { TableComparison } from "./compareEngineToReference.ts";
export { writeAdversarialCsv } from "./writeAdversarialCsv.ts";
