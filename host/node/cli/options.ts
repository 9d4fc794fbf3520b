// Parsing of option values, each error naming its option (exit 2).
import { UsageError } from "./io.ts";

export function integer(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || n < min || n > max) throw new UsageError(`--${name} '${value}': expected an integer ${min}..${max}`);
  return n;
}

export function fraction(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`--${name} '${value}': expected a probability 0..1`);
  return n;
}

/** "2h", "90m", "30s", "1500ms", "7d" or plain milliseconds. */
export function duration(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value.trim());
  if (!m) throw new UsageError(`--${name} '${value}': expected a duration such as 2h, 90m, 30s or 1500ms`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? "ms") as "ms"];
  return Math.round(Number(m[1]) * unit);
}

export function ipv4(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new UsageError(`--${name} '${value}': expected an IPv4 address`);
  }
  return value;
}

export function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} '${value}': expected one of ${allowed.join(", ")}`);
  return value as T;
}
