/**
 * Reading a dead letter back (`deadLetterFactsOf`, what the tracker mirrors): the headers
 * `DeadLetterPublisher` writes, the eventId from the producer's header or the JSON when there is one
 * to read, and nothing from bytes that are not an event.
 */
import { HEADERS } from '@linewatch/contracts';
import { deadLetterFactsOf, eventIdOf } from './dead-letter.publisher';
import type { ConsumedMessage } from './kafka.batch-consumer';

const message = (value: string | null, headers: Record<string, string> = {}): ConsumedMessage => ({
  topic: 'p.intel.events.dlq.v1',
  partition: 2,
  offset: '17',
  key: Buffer.from('LINE-1'),
  value: value === null ? null : Buffer.from(value),
  headers,
  timestamp: '0',
});

describe('deadLetterFactsOf', () => {
  it('reads why, where from and when from the headers, never the content', () => {
    const facts = deadLetterFactsOf(
      message('{"eventId":"e-1","type":"line.sighting","lineId":"LINE-1"}', {
        [HEADERS.dlqCode]: 'UNKNOWN_AREA',
        [HEADERS.dlqReason]: 'area frome is not configured',
        [HEADERS.dlqSourceTopic]: 'p.intel.events.v1',
        [HEADERS.dlqSourcePartition]: '5',
        [HEADERS.dlqSourceOffset]: '123',
        [HEADERS.dlqFailedAt]: '2026-12-06T12:00:00.000Z',
        [HEADERS.dlqRetriedFrom]: 'p.intel.events.dlq.v1:1:4',
      }),
    );
    expect(facts).toEqual({
      topic: 'p.intel.events.dlq.v1',
      partition: 2,
      offset: '17',
      code: 'UNKNOWN_AREA',
      reason: 'area frome is not configured',
      source: { topic: 'p.intel.events.v1', partition: 5, offset: '123' },
      eventId: 'e-1',
      retriedFrom: 'p.intel.events.dlq.v1:1:4',
      failedAt: new Date('2026-12-06T12:00:00.000Z'),
    });
    expect(JSON.stringify(facts)).not.toContain('LINE-1');
  });

  it.each([
    ['no headers at all', message('x'), { code: 'UNKNOWN', source: null, failedAt: null, retriedFrom: null }],
    [
      'a bad date and offset',
      message('x', { [HEADERS.dlqSourceTopic]: 't', [HEADERS.dlqSourceOffset]: '-1', [HEADERS.dlqFailedAt]: 'soon' }),
      { source: { topic: 't', partition: null, offset: null }, failedAt: null },
    ],
  ])('copes with %s', (_, input, expected) => {
    expect(deadLetterFactsOf(input)).toMatchObject(expected);
  });
});

describe('eventIdOf', () => {
  it.each<[string, Buffer | null, Record<string, string>, string | null]>([
    ['the producer’s header first', Buffer.from('{"eventId":"from-body"}'), { [HEADERS.eventId]: 'from-header' }, 'from-header'],
    ['the JSON object’s eventId', Buffer.from('{"eventId":"from-body"}'), {}, 'from-body'],
    ['bytes that are not JSON', Buffer.from('{"eventId": "cut'), {}, null],
    ['a JSON array', Buffer.from('[{"eventId":"x"}]'), {}, null],
    ['an eventId that is not a plain id', Buffer.from('{"eventId":"<script>"}'), {}, null],
    ['no value', null, {}, null],
  ])('takes %s', (_, value, headers, expected) => {
    expect(eventIdOf(value, headers)).toBe(expected);
  });
});
