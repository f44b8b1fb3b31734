import type { DigestReadyEvent } from '../../domain/events.ts';
import type { Digest } from '../../domain/model.ts';
import type { Edition, EditionConfig } from '../../domain/newsletter/edition.ts';
import type { BlobStore } from '../../domain/ports/blob-store.ts';
import type { RunTotals, RunTracker } from '../../domain/ports/delivery-ledger.ts';
import { dailyRun, weeklyRun, type RunKey } from '../../domain/sending/run-key.ts';
import type { WeekSpan } from '../../domain/sending/week.ts';
import { prepareEdition, prepareWeek } from './edition-store.ts';
import { DEFAULT_SEND_MAX_AGE_DAYS, planSend, planWeek, shouldMailDay, type PlanDeps } from './plan.ts';

/**
 * The planner's whole sequence for one run, used by the PlanSend handler and by `npm start` alike:
 * decide whether the day is mailed, compile and store its edition (once, before any batch can ask
 * for it), queue the batches, and tell the run's tracker how many readers to expect.
 */
export interface RunPlanDeps extends PlanDeps {
  readonly data: BlobStore;
  readonly tracker: Pick<RunTracker, 'start'>;
  readonly editionConfig: EditionConfig;
  /** Passed in so that only the planner's bundle carries MJML (the handler loads it lazily). */
  readonly compile: (digest: Digest, config: EditionConfig, week?: WeekSpan) => Promise<Edition>;
}

export type RunPlan =
  | { readonly planned: false; readonly reason: string }
  | {
      readonly planned: true;
      readonly run: RunKey;
      readonly recipients: number;
      readonly batches: number;
      /** Set when every planned reader was already accounted for (a re-plan of a finished run). */
      readonly totals: RunTotals | null;
      /** What the edition step did, or for a week what it holds. */
      readonly edition: string;
      /** A weekly run's edition: papers, and the mailed days they come from. */
      readonly week?: { readonly papers: number; readonly days: number };
    };

/**
 * A day that became ready. `gate`: the clock and the age past which a day is not mailed (a
 * backfill of last year); `'any age'` for local runs of recorded days.
 */
export async function planDailyRun(deps: RunPlanDeps, day: DigestReadyEvent, gate: { readonly now: Date; readonly maxAgeDays?: number } | 'any age'): Promise<RunPlan> {
  if (gate !== 'any age') {
    const decision = shouldMailDay(day, gate.now, gate.maxAgeDays ?? DEFAULT_SEND_MAX_AGE_DAYS);
    if (!decision.send) return { planned: false, reason: decision.reason };
  }
  const edition = await prepareEdition(deps.data, day.parsedKey, deps.editionConfig, deps.compile);
  const plan = await planSend(deps, day);
  const run = dailyRun(day.date);
  const totals = await deps.tracker.start(run, plan.recipients);
  return { planned: true, run, recipients: plan.recipients, batches: plan.batches, totals, edition: `edition ${edition}` };
}

/** The weekly mail of `date`, for the readers whose weekly day it is. */
export async function planWeeklyRun(deps: RunPlanDeps, date: string): Promise<RunPlan> {
  const plan = await planWeek(deps, date, () => prepareWeek(deps.data, date, deps.editionConfig, deps.compile));
  if (!plan.edition) return { planned: false, reason: plan.why };
  const run = weeklyRun(date);
  const totals = await deps.tracker.start(run, plan.recipients);
  return { planned: true, run, recipients: plan.recipients, batches: plan.batches, totals, edition: `${plan.edition.papers} papers of ${plan.edition.days} days`, week: { papers: plan.edition.papers, days: plan.edition.days } };
}
