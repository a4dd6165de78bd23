/** A controllable clock shared by the simulators (and injectable into Peerlink in tests). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Follows real time plus an offset; can be advanced or frozen, so 7-day expiries run in milliseconds. */
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
