import { assetClassOf, DAY_MS, newYorkDayStart } from '@app/core';

/** The session a bar belongs to, as the Unix ms the session starts at; the anchored VWAP restarts with each one. */
export type SessionKey = (barStart: number) => number;

/** The New York calendar day (midnight to midnight America/New_York, daylight saving included): US stocks and indices. */
export const newYorkDaySession: SessionKey = (barStart) => newYorkDayStart(barStart);

/** The UTC calendar day: crypto (and forex), which trade around the clock. */
export const utcDaySession: SessionKey = (barStart) => Math.floor(barStart / DAY_MS) * DAY_MS;

/** The session a symbol's VWAP anchors to, from its Polygon ticker prefix. */
export function sessionKeyFor(symbol: string): SessionKey {
  switch (assetClassOf(symbol)) {
    case 'crypto':
    case 'forex':
      return utcDaySession;
    case 'stocks':
    case 'indices':
      return newYorkDaySession;
  }
}
