// Shared by the Node suites: the built artifacts, loaded as a user would.
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const RELEASE_WASM = join(ROOT, "build/xpl-hbeat.wasm");
export const CLI = join(ROOT, "dist/xpl-hbeat.cjs");

export function releaseBytes(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(RELEASE_WASM));
}

export interface CliResult { status: number; stdout: Buffer; stderr: string }

/** Runs the bundled CLI as `npx xpl-hbeat` would, bounded in time. */
export function cli(args: string[], input?: string | Uint8Array, timeoutMs = 20_000): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, timeout: timeoutMs, cwd: ROOT });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr.toString() };
}

export const enc = (s: string) => new TextEncoder().encode(s);

/** The spec's example heartbeat. */
export const HBEAT_APP =
  "xpl-stat\n{\nhop=1\nsource=acme-sensor.kitchen\ntarget=*\n}\nhbeat.app\n{\ninterval=5\nport=50123\nremote-ip=192.168.1.20\nversion=1.0\n}\n";

export const IZZY_WASM = join(ROOT, "build/izzy.wasm");

export function izzyBytes(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(IZZY_WASM));
}

/** izzy with its assertions on (asconfig.json target "izzy-test"): a failed one throws. */
export function izzyDebugBytes(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(join(ROOT, "build/izzy.debug.wasm")));
}

/** The same core with its assertions on (asconfig.json target "test"): a failed one throws. */
export const DEBUG_WASM = join(ROOT, "build/xpl-hbeat.debug.wasm");

export function debugBytes(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(DEBUG_WASM));
}

/** Polls `check` every 20 ms until it holds; fails after `ms` naming what it waited for. */
export async function until(check: () => boolean, ms: number, what: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
