// Names of the core's numbers as the tools print them, derived from the generated
// table (numbers.ts, from scripts/abi/xpl.ts): nothing here is a number of its own.
import { REASON_NAMES, ENCODE_FIELD_NAMES, EVENT_NAMES } from "./numbers.ts";

export function xplReasonName(code: number): string {
  return REASON_NAMES[code] ?? `REASON_${code}`;
}

/** Encoder argument names (xpl_query ENC_ERROR_FIELD), lower case: "none", "msgtype", ... "size". */
export const ENCODE_FIELDS: readonly string[] = ENCODE_FIELD_NAMES.map((n) => n.toLowerCase());

/** Event names of the `log` import as hosts print them: "phase", "hub-lost", ... */
export function xplEventName(code: number): string {
  const name = EVENT_NAMES[code];
  return name ? name.toLowerCase().replace(/_/g, "-") : `event-${code}`;
}
