/**
 * A send run's key in the delivery ledger: a day's date for its daily run, `{date}-week` for the
 * weekly mail sent on that date. It is not a date: `runDay` gives the day it belongs to. Letters,
 * digits and dashes only: it is also an SES message tag value.
 */
export type RunKey = string;

export const dailyRun = (date: string): RunKey => date;

/** The weekly mail's own rows, beside the day's daily ones: a reader gets one weekly mail per week however often it is planned. */
export const weeklyRun = (date: string): RunKey => `${date}-week`;

export const isWeeklyRunKey = (run: RunKey): boolean => run.endsWith('-week');

/** The day a run was mailed on. */
export const runDay = (run: RunKey): string => run.slice(0, 10);
