/**
 * One-off NYSE events that no rule predicts (days of mourning, emergencies, irregular
 * early closes). Everything recurring is computed in nyse-holidays.ts; only this list is
 * hand-kept. Checked against the reference sessions 1990-2023 and NYSE notices since.
 */
export interface SpecialClosure {
  date: string;
  name: string;
}

export interface SpecialEarlyClose extends SpecialClosure {
  /** Regular-session close, New York wall clock. */
  closeHour: number;
}

export const NYSE_SPECIAL_CLOSURES: readonly SpecialClosure[] = [
  { date: '1994-04-27', name: 'National Day of Mourning for President Richard Nixon' },
  { date: '2001-09-11', name: 'September 11 attacks' },
  { date: '2001-09-12', name: 'September 11 attacks' },
  { date: '2001-09-13', name: 'September 11 attacks' },
  { date: '2001-09-14', name: 'September 11 attacks' },
  { date: '2004-06-11', name: 'National Day of Mourning for President Ronald Reagan' },
  { date: '2007-01-02', name: 'National Day of Mourning for President Gerald Ford' },
  { date: '2012-10-29', name: 'Hurricane Sandy' },
  { date: '2012-10-30', name: 'Hurricane Sandy' },
  { date: '2018-12-05', name: 'National Day of Mourning for President George H. W. Bush' },
  { date: '2025-01-09', name: 'National Day of Mourning for President Jimmy Carter' },
];

export const NYSE_SPECIAL_EARLY_CLOSES: readonly SpecialEarlyClose[] = [
  { date: '1997-12-26', name: 'Day after Christmas', closeHour: 13 },
  { date: '1999-12-31', name: "New Year's Eve (Y2K)", closeHour: 13 },
  { date: '2003-12-26', name: 'Day after Christmas', closeHour: 13 },
];
