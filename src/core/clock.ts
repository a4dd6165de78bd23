/** Time as Peerlink sees it: passed in, so tests of a 7-day expiry or a 10-minute window run in milliseconds. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
