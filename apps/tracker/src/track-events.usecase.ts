import { Inject, Injectable } from '@nestjs/common';
import {
  HEADERS,
  LINE_LINK_TYPES,
  ResolutionError,
  topicNames,
  validateIntelEvent,
  validateIntelSubmission,
  validateLineLink,
  type IntelEventSubmission,
  type IntelEventV1,
  type LineLinkV1,
  type Rejection,
} from '@linewatch/contracts';
import { intakeLookupsOf, lineEventsOf, resolveSubmission, type LineEvent } from '@linewatch/domain';
import { DeadLetterPublisher, type ConsumedMessage, type DeadLetterReason } from '@linewatch/messaging';
import { InjectMetric } from '@linewatch/observability';
import {
  Database,
  IntelEventsRepository,
  LineAttributionRepository,
  LineLinksRepository,
  LinesRepository,
  OutboxRepository,
  type IntelEventRecord,
  type StoredSuggestion,
} from '@linewatch/persistence';
import type { Counter } from 'prom-client';
import { ApplyLineLinksUseCase } from './apply-line-links.usecase';
import type { LineIdentities } from './line-identities';
import type { LineTimelines } from './line-timelines';
import type { ReplacementSuggestions } from './replacement-suggestions';
import { LINE_IDENTITIES, LINE_TIMELINES, REPLACEMENT_SUGGESTIONS } from './tracker.tokens';
import { TRACKER_CONFIG, type TrackerConfig } from './tracker.config';

export interface TrackReport {
  readonly stored: number;
  readonly duplicates: number;
  readonly deadLettered: number;
  readonly lines: number;
  readonly recomputed: number;
  readonly changes: number;
  /** Link decisions applied (merges, unmerges, attachments). */
  readonly links: number;
}

const LINK_TYPES: ReadonlySet<string> = new Set(LINE_LINK_TYPES);

/** What one transaction of a slice did. */
interface TrackedSlice {
  readonly stored: number;
  readonly lines: number;
  readonly recomputed: number;
  readonly changes: readonly { kind: string }[];
  readonly suggested: readonly StoredSuggestion[];
}

/** Decodes UTF-8 JSON bytes (invalid UTF-8 is malformed JSON), as `parseAndValidateIntelEvent` does. */
function decode(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false; detail: string } {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

/** Ingest marks the events of a history import (`POST /v1/events?history=true`) with this header. */
const isHistory = (message: ConsumedMessage) => message.headers[HEADERS.intake] === 'history';

const reasonOf = (result: Rejection): DeadLetterReason => {
  const detail = result.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  return { code: result.code, message: detail ? `${result.message} (${detail})` : result.message };
};

/**
 * One slice of a partition, in one database transaction (two when direct producers named lines
 * by number: see below): validates every message (direct
 * producers get the same checks as HTTP intake), stores the valid events (the database drops
 * duplicates), brings every line a NEW event names up to date — all its lines, not only the
 * message key's: a raid naming several lines arrives once per line and only its first copy is
 * new — and writes the changes of current state to the outbox. Lines are brought up to date as
 * their roots (an event on a merged line's id is its survivor's); the identity facts of the new
 * events are stored and the touched lines' intervals and brands recomputed, and replacement
 * suggestions proposed, in the same transaction. Identifier-only events (direct producers naming
 * a number or handset instead of a line) are attributed after that transaction, in one read,
 * against what it stored, and tracked in a second one: a number a by-id event of the same slice
 * attached is then known. Link decisions in the slice are applied after
 * it, each in its own transaction (`ApplyLineLinksUseCase`). Invalid messages and refused links
 * are dead-lettered with the reason. Resolving lets the consumer commit the offsets.
 */
@Injectable()
export class TrackEventsUseCase {
  /** Where the outbox entries are relayed (the state-change topic with the deployment's prefix). */
  private get topic(): string {
    return topicNames(this.config.kafka.topicPrefix).lineStateChanges;
  }

  constructor(
    @Inject(TRACKER_CONFIG) private readonly config: TrackerConfig,
    private readonly database: Database,
    private readonly events: IntelEventsRepository,
    private readonly lines: LinesRepository,
    private readonly links: LineLinksRepository,
    private readonly attribution: LineAttributionRepository,
    private readonly outbox: OutboxRepository,
    @Inject(LINE_TIMELINES) private readonly timelines: LineTimelines,
    @Inject(LINE_IDENTITIES) private readonly identities: LineIdentities,
    @Inject(REPLACEMENT_SUGGESTIONS) private readonly suggestions: ReplacementSuggestions,
    private readonly applyLinks: ApplyLineLinksUseCase,
    private readonly deadLetters: DeadLetterPublisher,
    @InjectMetric('linewatch_tracker_events_total') private readonly eventsCounter: Counter<'outcome'>,
    @InjectMetric('linewatch_tracker_lines_total') private readonly linesCounter: Counter<'path'>,
    @InjectMetric('linewatch_tracker_state_changes_total') private readonly changesCounter: Counter<'kind' | 'trigger'>,
  ) {
    // Every outcome from boot, at 0: Prometheus's increase() sees the first dead letter (infra/prometheus).
    for (const outcome of ['stored', 'duplicate', 'dead_lettered']) this.eventsCounter.inc({ outcome }, 0);
  }

  /**
   * Identifier-only events from a direct producer, attributed with intake's rule and read
   * (`LineAttributionRepository.knownFor` + the domain's `resolveSubmission`): one read for all of
   * them, against what is known when they are consumed — including the events of this slice
   * that named their lines, stored just before (`execute`). A resolution the contract refuses is
   * the message's fault (dead letter); anything else is retried.
   */
  private async resolveAll(
    unresolved: readonly { message: ConsumedMessage; event: IntelEventSubmission }[],
    rejected: { message: ConsumedMessage; reason: DeadLetterReason }[],
  ): Promise<IntelEventRecord[]> {
    if (unresolved.length === 0) return [];
    const known = await this.database.autocommit((q) => this.attribution.knownFor(q, intakeLookupsOf(unresolved.map((u) => u.event))));
    const records: IntelEventRecord[] = [];
    for (const { message, event } of unresolved) {
      try {
        records.push({
          event: resolveSubmission(event, known).event,
          kafkaPartition: message.partition,
          kafkaOffset: message.offset,
          history: isHistory(message),
        });
      } catch (error) {
        if (!(error instanceof ResolutionError)) throw error;
        rejected.push({ message, reason: { code: error.code, message: error.message } });
      }
    }
    return records;
  }

  async execute(messages: readonly ConsumedMessage[], now: Date): Promise<TrackReport> {
    const context = { now, maxFutureSkewMs: this.config.extra.TRACKER_MAX_FUTURE_SKEW_MS, areas: this.config.areas.codes };
    const records: IntelEventRecord[] = [];
    const rejected: { message: ConsumedMessage; reason: DeadLetterReason }[] = [];
    const linkDecisions: { message: ConsumedMessage; event: LineLinkV1 }[] = [];
    const unresolved: { message: ConsumedMessage; event: IntelEventSubmission }[] = [];
    for (const message of messages) {
      const decoded = decode(message.value ?? new Uint8Array());
      if (!decoded.ok) {
        rejected.push({
          message,
          reason: { code: 'MALFORMED_JSON', message: `not valid UTF-8 JSON: ${decoded.detail} ((event): ${decoded.detail})` },
        });
        continue;
      }
      const type = (decoded.value as { type?: unknown } | null)?.type;
      if (typeof type === 'string' && LINK_TYPES.has(type)) {
        const link = validateLineLink(decoded.value, context);
        if (link.ok) linkDecisions.push({ message, event: link.event });
        else rejected.push({ message, reason: reasonOf(link) });
        continue;
      }
      const result = validateIntelEvent(decoded.value, context);
      if (result.ok)
        records.push({ event: result.event, kafkaPartition: message.partition, kafkaOffset: message.offset, history: isHistory(message) });
      else if (result.code === 'UNRESOLVED_LINE') {
        // A direct producer named the line by number or handset: resolved here as intake resolves it.
        const submission = validateIntelSubmission(decoded.value, context);
        if (submission.ok) unresolved.push({ message, event: submission.event });
        else rejected.push({ message, reason: reasonOf(submission) });
      } else rejected.push({ message, reason: reasonOf(result) });
    }
    // Events that named their lines first, then the identifier-only ones: those are attributed
    // against what the first transaction stored (a number a by-id event of this slice attached).
    const named = await this.track(records, now);
    const resolved = await this.resolveAll(unresolved, rejected);
    const byIdentifier = await this.track(resolved, now);
    const outcome = {
      stored: named.stored + byIdentifier.stored,
      lines: named.lines + byIdentifier.lines,
      recomputed: named.recomputed + byIdentifier.recomputed,
      changes: [...named.changes, ...byIdentifier.changes],
      suggested: [...named.suggested, ...byIdentifier.suggested],
    };
    await this.suggestions.announce(outcome.suggested);
    let linksApplied = 0;
    let linkChanges = 0;
    for (const { message, event } of linkDecisions) {
      const applied = await this.applyLinks.execute(event, now);
      if (applied.outcome === 'refused') rejected.push({ message, reason: { code: applied.code, message: applied.message } });
      if (applied.outcome === 'applied') {
        linksApplied += 1;
        linkChanges += applied.changes;
      }
    }
    await this.deadLetters.send(rejected, now);
    const duplicates = records.length + resolved.length - outcome.stored;
    this.eventsCounter.inc({ outcome: 'stored' }, outcome.stored);
    this.eventsCounter.inc({ outcome: 'duplicate' }, duplicates);
    this.eventsCounter.inc({ outcome: 'dead_lettered' }, rejected.length);
    this.linesCounter.inc({ path: 'fast' }, outcome.lines - outcome.recomputed);
    this.linesCounter.inc({ path: 'recompute' }, outcome.recomputed);
    for (const change of outcome.changes) this.changesCounter.inc({ kind: change.kind, trigger: 'events' });
    return {
      stored: outcome.stored,
      duplicates,
      deadLettered: rejected.length,
      lines: outcome.lines,
      recomputed: outcome.recomputed,
      changes: outcome.changes.length + linkChanges,
      links: linksApplied,
    };
  }

  /**
   * One transaction for these records: stores them (the database drops duplicates), brings every
   * line a NEW event names up to date as its root, stores identity facts, proposes replacement
   * suggestions and writes the changes of current state to the outbox.
   */
  private async track(records: readonly IntelEventRecord[], now: Date): Promise<TrackedSlice> {
    if (records.length === 0) return { stored: 0, lines: 0, recomputed: 0, changes: [], suggested: [] };
    return this.database.transaction(async (tx) => {
      // No link decision commits between reading aliases here and this commit.
      await this.links.lockForReading(tx);
      const stored = await this.events.store(tx, records);
      const fresh: IntelEventV1[] = [];
      const historical = new Set<string>();
      const seen = new Set<string>();
      for (const { event, history } of records) {
        if (stored.has(event.eventId) && !seen.has(event.eventId)) {
          fresh.push(event);
          if (history) historical.add(event.eventId);
        }
        seen.add(event.eventId);
      }
      const lineEvents = fresh.flatMap(lineEventsOf);
      if (lineEvents.length === 0) return { stored: stored.size, lines: 0, recomputed: 0, changes: [], suggested: [] };
      // Each event goes to its line's root (itself unless merged into another).
      const roots = await this.links.resolve(
        tx,
        lineEvents.map((e) => e.lineId),
      );
      const byLine = new Map<string, LineEvent[]>();
      for (const lineEvent of lineEvents) {
        const root = roots.get(lineEvent.lineId) ?? lineEvent.lineId;
        const list = byLine.get(root) ?? [];
        list.push(root === lineEvent.lineId ? lineEvent : { ...lineEvent, lineId: root });
        byLine.set(root, list);
      }
      const locked = await this.lines.lock(tx, [...byLine.keys()]);
      const computed = await this.timelines.advance(tx, locked, byLine, now);
      await this.timelines.save(tx, computed);
      const identity = await this.identities.update(tx, fresh, (lineId) => roots.get(lineId) ?? lineId);
      const suggested = await this.suggestions.after(tx, computed, identity.brandsGained);
      // A line whose every new event came from a history import: its change is recorded, not pushed.
      const historyOnly = new Set(
        [...byLine].filter(([, events]) => events.every((e) => historical.has(e.eventId))).map(([lineId]) => lineId),
      );
      const changes = await this.timelines.changesOf(tx, computed, fresh, 'events', now, historyOnly);
      await this.outbox.append(tx, this.topic, changes);
      return {
        stored: stored.size,
        lines: computed.length,
        recomputed: computed.filter((c) => c.path === 'recompute').length,
        changes: changes.map((c) => ({ kind: (c.payload as { kind: string }).kind })),
        suggested,
      };
    });
  }
}
