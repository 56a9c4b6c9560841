/** Where "now" comes from: the default end of a range and which bars are still open. Tests pin it. */
export interface Clock {
  now(): number;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => Date.now() };
