import { createHash } from "node:crypto";

/**
 * Spec §S3: lower-case hex MD5 of the UTF-8 text `user_id|session_start` where
 * session_start is whole microseconds since 1970-01-01T00:00:00Z in plain decimal
 * (a `-` sign before 1970, no exponent, no padding): sessionId("u42", 1767225600000000n).
 */
export function sessionId(userId: string, sessionStartMicros: bigint): string {
  return createHash("md5")
    .update(`${userId}|${sessionStartMicros.toString()}`, "utf8")
    .digest("hex");
}
