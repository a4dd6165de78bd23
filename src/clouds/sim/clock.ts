/** The simulators' controllable clock, shared with Peerlink in tests so a 7-day expiry runs in milliseconds. */
import type { Clock } from '../../core/clock.js';

/** Follows real time plus an offset; can be advanced or frozen. */
export class SimClock implements Clock {
  private offsetMs = 0;
  private frozenAt: number | null = null;

  now(): Date {
    return new Date((this.frozenAt ?? Date.now()) + this.offsetMs);
  }

  advance(ms: number): Date {
    this.offsetMs += ms;
    return this.now();
  }

  freeze(): void {
    this.frozenAt ??= Date.now();
  }
}
