/**
 * Retry pacing after a failed step: exponential with full jitter, capped — 1 s, 2 s, 4 s … 5 min, each drawn from
 * the upper half of its ceiling. `random` in [0, 1) is passed in, so the sequence is testable.
 */
export function backoffMs(attempt: number, random: number, baseMs = 1_000, capMs = 5 * 60_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
