// The comparison: the npm package xpl-api's own message formatting and parsing.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

interface XplApiMessage { headerName: string; header: Record<string, string | number>; bodyName: string; body: Record<string, string | number> }
interface XplApiInstance {
  _xplMessageToBuffer(message: XplApiMessage): Buffer;
  _parseXPLMessage(text: string, address: unknown): unknown;
}

export function xplApi(): XplApiInstance {
  const XplAPI = require("xpl-api") as new (config: object) => XplApiInstance;
  return new XplAPI({ xplSource: "acme-sensor.kitchen", localAddress: "127.0.0.1", broadcastAddress: "127.255.255.255" });
}
