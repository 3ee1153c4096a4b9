export { trimField } from "./trimField.ts";
export { parseEventTime } from "./parseEventTime.ts";
export { isValidIpAddress, isValidIpv4, isValidIpv6 } from "./isValidIpAddress.ts";
export { parseRevenue } from "./parseRevenue.ts";
export { sessionId } from "./sessionId.ts";
export { normalizeEventType } from "./normalizeEventType.ts";
export { formatMicros } from "./formatMicros.ts";
export { formatCents } from "./formatCents.ts";
export { compareUtf8 } from "./compareUtf8.ts";
