// Nanoseconds per operation, measured side by side: rounds alternate between the
// contenders and each keeps its best round, so a noisy neighbour hurts both alike.
export function nsPerOp(contenders: Record<string, () => void>, iterations: number, rounds = 7): Record<string, number> {
  const best: Record<string, number> = {};
  for (const [name, fn] of Object.entries(contenders)) {
    for (let i = 0; i < iterations / 10; i++) fn(); // warm up (tier-up in V8)
    best[name] = Infinity;
  }
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(contenders)) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) fn();
      const ns = Number(process.hrtime.bigint() - start) / iterations;
      if (ns < best[name]) best[name] = ns;
    }
  }
  return best;
}

/**
 * Nanoseconds per operation of every round, rounds alternating between the
 * contenders: a ratio taken within one round sees the same machine state on both
 * sides; the median of those ratios is what a rerun reproduces best.
 */
export function roundsPerOp(contenders: Record<string, () => void>, iterations: number, rounds = 7): Record<string, number[]> {
  const all: Record<string, number[]> = {};
  for (const [name, fn] of Object.entries(contenders)) {
    for (let i = 0; i < iterations / 10; i++) fn(); // warm up (tier-up in V8)
    all[name] = [];
  }
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(contenders)) {
      const start = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) fn();
      all[name]!.push(Number(process.hrtime.bigint() - start) / iterations);
    }
  }
  return all;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
