// The one PRNG of both protocols: xorshift32 from the host's seed. The cores have
// no entropy of their own, so the same seed gives the same times and UUIDs on every
// host. Host-side copies (tests' oracles) must follow this file.

/** Replaces a seed of 0, for which xorshift32 would stay at 0. */
export const SEED_FOR_ZERO: u32 = 0x9e3779b9;

// @ts-ignore: decorator
@inline export function seedOrDefault(seed: u32): u32 {
  return seed != 0 ? seed : SEED_FOR_ZERO;
}

/** The next state of xorshift32 (13, 17, 5); never 0 from a state that is not 0. */
// @ts-ignore: decorator
@inline export function xorshift32(x: u32): u32 {
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return x;
}
