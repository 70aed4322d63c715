// Small statistics for benchmarks: medians are robust to the odd slow run on a shared machine.
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function fmt(ms: number): string {
  return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

/** A difference with its sign: "+1.07 ms" or "-0.41 ms". */
export function fmtDelta(ms: number): string {
  return `${ms >= 0 ? '+' : '-'}${fmt(Math.abs(ms))}`;
}
