/**
 * What the live stream (`GET /v1/stream`, server-sent events) carries, version 1: each SSE event's
 * `event:` is the item's type and its `data:` the JSON below. The tracker appends `state-change`
 * items (the published `line.state-change.v1` itself); the alerter (raised, silenced) and the api
 * (acknowledged, resolved) append `alert` items, each the alert's whole view; the tracker appends a
 * `replacement-suggestion` item (the suggestion as `GET /v1/replacement-suggestions` lists it) when
 * it proposes one — shown to analysts only.
 */
import { z } from 'zod';
import { alertViewV1 } from './alert-view.v1';
import { replacementSuggestionV1 } from './identity-api.v1';
import { stateChangeV1 } from './state-change.v1';

export const LIVE_ITEM_TYPES = ['state-change', 'alert', 'replacement-suggestion'] as const;

/** The data of a `state-change` event. */
export const liveStateChangeV1 = stateChangeV1;
/** The data of an `alert` event. */
export const liveAlertV1 = alertViewV1;
/** The data of a `replacement-suggestion` event (analysts only). */
export const liveReplacementSuggestionV1 = replacementSuggestionV1;

/** An event of the stream as a reader sees it once parsed: its type and its data. */
export const liveItemV1 = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state-change'), data: liveStateChangeV1 }),
  z.object({ type: z.literal('alert'), data: liveAlertV1 }),
  z.object({ type: z.literal('replacement-suggestion'), data: liveReplacementSuggestionV1 }),
]);

export type LiveItemTypeV1 = (typeof LIVE_ITEM_TYPES)[number];
export type LiveStateChangeV1 = z.infer<typeof liveStateChangeV1>;
export type LiveAlertV1 = z.infer<typeof liveAlertV1>;
export type LiveReplacementSuggestionV1 = z.infer<typeof liveReplacementSuggestionV1>;
export type LiveItemV1 = z.infer<typeof liveItemV1>;
/** The data of each event type, by type (the dashboard's handler map, which ignores other types). */
export interface LiveDataV1 {
  readonly 'state-change': LiveStateChangeV1;
  readonly alert: LiveAlertV1;
  /** Analysts only (the stream sends it to no other role): the possible-replacements inbox adds it. */
  readonly 'replacement-suggestion': LiveReplacementSuggestionV1;
}
