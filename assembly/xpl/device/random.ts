// The device's random numbers: xorshift32 (shared/random.ts) from the host's seed,
// so the same seed gives the same heartbeat times on every host.
import { xorshift32, seedOrDefault } from "../../shared/random";

// Seeded by start before any use (0 here: a constant, so the module needs no start function).
let state: u32 = 0;

export function seedRandom(seed: u32): void {
  state = seedOrDefault(seed);
}

/** Uniform enough in [low, high] for spreading heartbeats (bias < 1e-5). */
export function randomBetween(low: u32, high: u32): u32 {
  let x = xorshift32(state);
  state = x;
  return low + x % (high - low + 1);
}
