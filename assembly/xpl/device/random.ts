// xorshift32 from the host's seed: the core has no entropy of its own, so the
// same seed gives the same heartbeat times on every host.
let state: u32 = 0x9e3779b9;

export function seedRandom(seed: u32): void {
  state = seed != 0 ? seed : 0x9e3779b9;
}

/** Uniform enough in [low, high] for spreading heartbeats (bias < 1e-5). */
export function randomBetween(low: u32, high: u32): u32 {
  let x = state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  state = x;
  return low + x % (high - low + 1);
}
