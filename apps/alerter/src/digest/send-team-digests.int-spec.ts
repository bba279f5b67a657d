/**
 * Team digests against both database flavours with a controllable clock (as the weekly export's
 * int test does it) and a real SMTP server: two replicas tick at once and one digest goes out;
 * a period is not repeated; being down for days catches up only the latest period, covering every
 * change recorded since the previous digest; the October change of the clocks; a lease held by a
 * replica that died is taken over once it expires.
 */
import { randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { Client } from 'pg';
import { loadAlertRouting, loadAreas } from '@linewatch/config';
import type { TeamDigestV1 } from '@linewatch/contracts';
import { createLogger } from '@linewatch/observability';
import { AuditRepository, Database, TeamDigestsRepository } from '@linewatch/persistence';
import {
  TEST_WEBHOOK_SECRET,
  aStateChange,
  startMailCapture,
  testDatabaseConfig,
  writeOneTeamRouting,
  type MailCapture,
  waitFor,
  type DatabaseFlavour,
} from '@linewatch/testing';
import type { AlerterConfig } from '../alerter.config';
import type { RoutingHolder } from '../routing.holder';
import { DigestChannels } from './digest.channels';
import { SendTeamDigestsUseCase } from './send-team-digests.usecase';

const SMTP_PORT = 28390;
const logger = createLogger('int', 'silent');

describe.each<DatabaseFlavour>(['timescale', 'postgres'])('team digests on %s', (flavour) => {
  const tag = randomUUID().slice(0, 6);
  const area = `td${tag}-${flavour === 'timescale' ? 'ts' : 'pg'}`;
  const teamId = `${area}-npt`;
  let database: Database;
  let sql: Client;
  let smtp: MailCapture | undefined;
  const mails: ParsedMail[] = [];
  let config: AlerterConfig;
  let routing: RoutingHolder;

  beforeAll(async () => {
    const files = writeOneTeamRouting({ code: area, name: 'Digest Town', teamId }, [
      { id: 'officers', name: 'Officers', email: `${teamId}@example.invalid` },
    ]);
    const areas = loadAreas(files.areasFile);
    routing = { current: loadAlertRouting(files.routingFile, areas) } as RoutingHolder;
    config = {
      areas,
      webhooks: { hosts: [], allowPrivateNetworks: false },
      extra: {
        ALERTER_DIGEST_LEASE_MS: 60_000,
        ALERTER_MAX_ATTEMPTS: 3,
        ALERT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
        SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT + (flavour === 'timescale' ? 0 : 1)}`,
        SMTP_FROM: 'LineWatch <alerts@linewatch.invalid>',
      },
    } as unknown as AlerterConfig;
    smtp = await startMailCapture(SMTP_PORT + (flavour === 'timescale' ? 0 : 1), mails);
    database = await Database.open(testDatabaseConfig(flavour), 'linewatch-test');
    sql = new Client({ connectionString: testDatabaseConfig(flavour).url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await database?.close();
    await smtp?.close();
  });

  const replicas: DigestChannels[] = [];
  afterAll(() => replicas.forEach((c) => c.onModuleDestroy()));
  const replica = () => {
    const channels = new DigestChannels(config);
    replicas.push(channels);
    return new SendTeamDigestsUseCase(config, routing, database, new TeamDigestsRepository(), new AuditRepository(), channels, logger);
  };
  const mine = () => mails.filter((m) => JSON.stringify(m.to).includes(`${teamId}@`));
  const stored = async () =>
    (await sql.query('SELECT period_from, period_end, body FROM team_digests WHERE team_id = $1 ORDER BY period_end', [teamId])).rows as {
      period_from: Date;
      period_end: Date;
      body: TeamDigestV1;
    }[];
  /** A state change recorded by the tracker at `at` (already relayed: no relay picks it up). */
  const recorded = async (lineId: string, at: string) => {
    const change = aStateChange({ lineId, area, areas: [area] });
    await sql.query(
      `INSERT INTO line_state_changes_outbox (change_id, topic, line_id, payload, created_at, published_at) VALUES ($1, 'int.digest.none', $2, $3, $4, $4)`,
      [change.changeId, lineId, JSON.stringify(change), at],
    );
  };

  it('two replicas at once: one digest; the period is not repeated; days down: the latest period only, covering all since', async () => {
    const [one, two] = [replica(), replica()];
    // Saturday 24 October 2026, 07:00 BST = 06:00 UTC.
    const first = new Date('2026-10-24T06:00:30Z');
    const outcomes = (await Promise.all([one.execute(first), two.execute(first)])).flat().filter((o) => o.teamId === teamId);
    expect(outcomes.map((o) => o.kind).sort()).toEqual([expect.stringMatching(/held-elsewhere|already-done/), 'sent'].sort());
    await waitFor(() => mine().length === 1 || undefined, { what: 'the first digest e-mail' });
    expect((await two.execute(new Date('2026-10-24T20:00:00Z'))).find((o) => o.teamId === teamId)?.kind).toBe('already-done');

    // Changes recorded while the alerter is down from Saturday evening to Tuesday noon.
    await recorded(`TD-${tag}-SAT`, '2026-10-24T18:00:00Z');
    await recorded(`TD-${tag}-SUN`, '2026-10-25T06:30:00Z'); // before Sunday's 07:00 GMT (the clocks went back at 01:00 UTC)
    await recorded(`TD-${tag}-MON`, '2026-10-26T12:00:00Z');
    await recorded(`TD-${tag}-TUE`, '2026-10-27T09:00:00Z'); // after the latest period: the next digest's
    const late = await one.execute(new Date('2026-10-27T12:00:00Z'));
    expect(late.find((o) => o.teamId === teamId)).toMatchObject({ kind: 'sent', periodEnd: new Date('2026-10-27T07:00:00Z') });
    await waitFor(() => mine().length === 2 || undefined, { what: 'one catch-up digest e-mail' });
    const digests = await stored();
    expect(digests.map((d) => [d.period_from.toISOString(), d.period_end.toISOString()])).toEqual([
      ['2026-10-23T06:00:00.000Z', '2026-10-24T06:00:00.000Z'],
      ['2026-10-24T06:00:00.000Z', '2026-10-27T07:00:00.000Z'],
    ]);
    expect(digests[1].body.changes.map((c) => c.lineId)).toEqual([`TD-${tag}-SAT`, `TD-${tag}-SUN`, `TD-${tag}-MON`]);
    expect(mine()[1].text).toContain(`TD-${tag}-SUN`);
    const log = await sql.query(
      `SELECT count(*)::int AS n FROM disclosure_log WHERE subject_type = 'team-digest' AND details ->> 'teamId' = $1`,
      [teamId],
    );
    expect(log.rows[0].n).toBe(2);
  });

  it('a lease held by a replica that died is taken over once it expires', async () => {
    const digests = new TeamDigestsRepository();
    await database.autocommit((q) =>
      digests.acquire(q, teamId, 'dead', new Date('2026-10-28T07:00:00Z'), new Date('2026-10-28T07:01:00Z')),
    );
    const alive = replica();
    expect((await alive.execute(new Date('2026-10-28T07:00:30Z'))).find((o) => o.teamId === teamId)?.kind).toBe('held-elsewhere');
    expect((await alive.execute(new Date('2026-10-28T07:01:00Z'))).find((o) => o.teamId === teamId)).toMatchObject({
      kind: 'sent',
      periodEnd: new Date('2026-10-28T07:00:00Z'),
    });
    const last = (await stored()).at(-1)!;
    expect(last.body.changes.map((c) => c.lineId)).toEqual([`TD-${tag}-TUE`]);
  });
});
