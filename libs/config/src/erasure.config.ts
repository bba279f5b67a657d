import { z } from 'zod';
import { positiveIntegerVariable } from './env.schema';

/**
 * The legal floor of raw-event retention, in years (docs/configuration.md): MoPI keeps police
 * information for at least six years before it may be disposed of (the Group 3 minimum). A
 * deployment may keep events longer, never shorter: a smaller RAW_EVENT_RETENTION_YEARS refuses to load.
 */
export const RETENTION_MINIMUM_YEARS = 6;

/** The erasure job's settings (the tracker runs it; `linewatch erasure run` and `retention` read the same). */
export const erasureEnvShape = {
  /** Raw events older than this (event time) on lines not marked retain by a review are erased. */
  RAW_EVENT_RETENTION_YEARS: z.coerce
    .number()
    .int()
    .min(RETENTION_MINIMUM_YEARS, `must be at least ${RETENTION_MINIMUM_YEARS} (the legal minimum retention, docs/configuration.md)`)
    .max(100)
    .default(RETENTION_MINIMUM_YEARS),
  /** How often the erasure job looks for ended holds and expired events. */
  ERASURE_INTERVAL_MS: positiveIntegerVariable(15 * 60 * 1000),
  /** Rows deleted per transaction (events, alerts, identity facts, state changes). */
  ERASURE_BATCH_ROWS: positiveIntegerVariable(500),
  /** How long the job's lease lasts without renewal (renewed at every batch): the longest another replica waits after a crash. */
  ERASURE_LEASE_MS: positiveIntegerVariable(60_000),
};
