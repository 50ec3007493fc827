/** Order statistics of benchmark samples (milliseconds). */

export function median(samples: readonly number[]): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function minimum(samples: readonly number[]): number {
  return samples.length === 0 ? NaN : Math.min(...samples);
}

export function maximum(samples: readonly number[]): number {
  return samples.length === 0 ? NaN : Math.max(...samples);
}
