#!/usr/bin/env node
/**
 * `linewatch` — the command line (`npx linewatch <command>`; scripts/bin/linewatch.cjs runs this
 * file from dist/, compiling first only what changed). Reads its settings from the same
 * environment variables as the services.
 *
 * Each command loads its libraries when it runs (`await import`), not at start: Kafka, TypeORM
 * and the exports cost about a second to load, and `linewatch token` needs none of them.
 */
import 'reflect-metadata';
import { userInfo } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import {
  ConfigError,
  loadAuditCheckpointConfig,
  loadCheckBackDays,
  loadDormancyWindows,
  loadInfrastructureConfig,
  localServiceUrl,
} from '@linewatch/config';
import { ROLES, type Role } from '@linewatch/contracts';

function infrastructure() {
  return loadInfrastructureConfig(process.env, 'linewatch-cli');
}

const ingestUrl = () => localServiceUrl('ingest', process.env);
const collect = (value: string, previous: string[]) => [...previous, value];
const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
};
const DURATION = /^(\d+)([smhd])$/;
const SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

// Piped into `head` and the like: a closed stdout is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

async function deadLetterTools() {
  const { kafkaTools } = await import('./commands/setup.command.js');
  return kafkaTools(infrastructure().kafka);
}

const program = new Command('linewatch').description('LineWatch command line').showHelpAfterError();

program
  .command('migrate')
  .description('apply pending database migrations (TimescaleDB schema when the extension is there, plain PostgreSQL otherwise)')
  .action(async () => {
    const { migrate } = await import('./commands/setup.command.js');
    await migrate(infrastructure().database);
  });

program
  .command('topics')
  .description('Kafka topics')
  .command('apply')
  .description('create or update the declared topics (libs/contracts/src/topics.ts)')
  .action(async () => {
    const config = infrastructure();
    const { applyDeclaredTopics } = await import('./commands/setup.command.js');
    await applyDeclaredTopics(config.kafka, config.log.level);
  });

program
  .command('token')
  .description('issue a development access token, signed with the local key (AUTH_JWT_SECRET, or the one npm start made)')
  .requiredOption('--role <role>', `role to carry, repeatable: ${ROLES.join(', ')}`, collect, [])
  .option('--area <area>', 'area an officer is scoped to, repeatable', collect, [])
  .option(
    '--subject <subject>',
    'who the token is for (default: dev-<roles>-<areas>, e.g. dev-officer-bath: each its own rate-limit budget)',
  )
  .option('--ttl <duration>', 'lifetime, e.g. 30m, 8h, 7d', '8h')
  .action(async (options: { role: string[]; area: string[]; subject?: string; ttl: string }) => {
    const unknown = options.role.filter((r) => !(ROLES as readonly string[]).includes(r));
    if (unknown.length > 0) throw new Error(`unknown role ${unknown.join(', ')}; expected ${ROLES.join(', ')}`);
    const ttl = DURATION.exec(options.ttl);
    if (!ttl) throw new Error('--ttl: expected a duration such as 30m, 8h or 7d');
    const { developmentToken } = await import('./commands/access-token.js');
    const token = await developmentToken({
      subject: options.subject,
      roles: options.role as Role[],
      areas: options.area,
      ttlSeconds: Number(ttl[1]) * SECONDS[ttl[2] as keyof typeof SECONDS],
    });
    console.log(token);
  });

program
  .command('replay')
  .argument('<file>', 'an NDJSON (.ndjson, .jsonl) or CSV (.csv) file of events')
  .description('post a file of events to ingest, streaming, with progress and a summary (accepted / duplicate / rejected, rate)')
  .option('--url <url>', 'ingest base URL', ingestUrl())
  .option('--format <format>', 'ndjson or csv (default: from the file name)')
  .option('--token <token>', 'access token with the ingest role (default: LINEWATCH_TOKEN, else a development token)')
  .option('--history', 'a history import (backfill, old files): changes are recorded but raise no pushed alert (docs/alerts.md)')
  .action(async (file: string, options: { url: string; format?: 'ndjson' | 'csv'; token?: string; history?: boolean }) => {
    const { replay } = await import('./commands/replay.command.js');
    const { status } = await replay(file, options);
    if (status >= 400) process.exitCode = 1;
  });

const dlq = program.command('dlq').description('inspect and re-drive dead letters (intel.events.dlq.v1)');

dlq
  .command('list')
  .description('dead letters with their reason')
  .option('--code <code>', 'only this rejection code')
  .option('--limit <n>', 'at most this many', positiveInt, 100)
  .option('--json', 'one JSON object a line')
  .action(async (options: { code?: string; limit: number; json?: boolean }) => {
    const { kafka, topics } = await deadLetterTools();
    const { listDeadLetters } = await import('./commands/dlq.command.js');
    const letters = await listDeadLetters(kafka, topics, options);
    for (const letter of letters) {
      if (options.json) console.log(JSON.stringify({ ...letter, headers: undefined }));
      else
        console.log(
          `${letter.id.padEnd(10)} ${letter.code.padEnd(16)} ${letter.failedAt}  key=${letter.key}  ${letter.reason.slice(0, 100)}`,
        );
    }
    if (!options.json) console.log(`${letters.length} dead letter${letters.length === 1 ? '' : 's'}`);
  });

dlq
  .command('show')
  .argument('<id>', 'partition:offset, as dlq list prints it')
  .description('one dead letter: reason, where it came from, headers and the original bytes')
  .action(async (id: string) => {
    const { kafka, topics } = await deadLetterTools();
    const { listDeadLetters } = await import('./commands/dlq.command.js');
    const letter = (await listDeadLetters(kafka, topics, {})).find((l) => l.id === id);
    if (!letter) throw new Error(`no dead letter ${id}`);
    console.log(JSON.stringify(letter, null, 2));
  });

dlq
  .command('retry')
  .argument('[ids...]', 'partition:offset of each dead letter to re-drive')
  .description('send dead letters back to the input topic after fixing their cause (still invalid, they return here)')
  .option('--all', 'every dead letter (with --code: every one with that code)')
  .option('--code <code>', 'with --all: only this rejection code')
  .action(async (ids: string[], options: { all?: boolean; code?: string }) => {
    if (!options.all && ids.length === 0) throw new Error('name dead letters (partition:offset) or use --all');
    const { kafka, topics } = await deadLetterTools();
    const { listDeadLetters, recordRedrives, retryDeadLetters } = await import('./commands/dlq.command.js');
    const letters = await listDeadLetters(kafka, topics, { code: options.code });
    const chosen = options.all ? letters : letters.filter((l) => ids.includes(l.id));
    const missing = options.all ? [] : ids.filter((id) => !chosen.some((l) => l.id === id));
    if (missing.length > 0) throw new Error(`no dead letter ${missing.join(', ')}`);
    console.log(`dlq: re-drove ${await retryDeadLetters(kafka, topics, chosen)} dead letter(s) to ${topics.intelEvents}`);
    // Recorded (who, when) so that they no longer count as waiting (docs/operations.md, "Dead letters").
    await recordRedrives(infrastructure().database, topics, chosen, `cli:${userInfo().username}`, new Date());
    console.log(`dlq: recorded ${chosen.length} re-drive(s)`);
  });

const audit = program.command('audit').description('the access and disclosure log (DPA 2018 s.62)');

audit
  .command('search')
  .description('who did what to which subject, when and why (newest first)')
  .option('--actor <actor>', 'only this actor (token subject)')
  .option('--action <action>', 'collection, alteration, consultation, disclosure, combination or erasure')
  .option('--subject <type:id>', 'only this subject, e.g. line:JAY-01 or alert:<uuid>')
  .option('--since <iso>', 'from this instant')
  .option('--limit <n>', 'at most this many', positiveInt, 100)
  .option('--json', 'one JSON object a line')
  .action(async (options: { actor?: string; action?: string; subject?: string; since?: string; limit: number; json?: boolean }) => {
    const { searchAudit } = await import('./commands/audit.command.js');
    await searchAudit(infrastructure().database, options);
  });

/** The database, Kafka and checkpoint settings (the local stack's key and file on the embedded database). */
async function checkpointSetup() {
  const config = infrastructure();
  let env: NodeJS.ProcessEnv = process.env;
  if (config.database.embedded) {
    const { withLocalAuditCheckpoints } = await import('./audit-checkpoint-env.js');
    const { dataDirectory } = await import('./repo-paths.js');
    env = withLocalAuditCheckpoints(env, dataDirectory());
  }
  return { database: config.database, kafka: config.kafka, checkpoints: loadAuditCheckpointConfig(env) };
}

audit
  .command('checkpoint')
  .description('checkpoint the chain head now, signed, to the checkpoint file and the topic audit.checkpoints.v1')
  .action(async () => {
    const { checkpointAudit } = await import('./commands/audit.command.js');
    await checkpointAudit(await checkpointSetup());
  });

audit
  .command('verify')
  .description(
    'recompute the hash chain of the log and check it against every checkpoint (file and topic); exit 2 when anything does not hold',
  )
  .option('--no-topic', 'read the checkpoint file only (the broker is not reachable)')
  .option('--json', 'the report as JSON')
  .action(async (options: { topic: boolean; json?: boolean }) => {
    const { verifyAudit } = await import('./commands/audit.command.js');
    if (!(await verifyAudit(await checkpointSetup(), options))) process.exitCode = 2;
  });

program
  .command('rebuild')
  .description('recompute line timelines from the stored events (after a rule or window change), reporting what changed; raises no alerts')
  .option('--line <id>', 'only this line')
  .option('--dry-run', 'report what would change, write nothing')
  .action(async (options: { line?: string; dryRun?: boolean }) => {
    const { rebuild } = await import('./commands/rebuild.command.js');
    await rebuild(infrastructure().database, loadDormancyWindows(process.env), loadCheckBackDays(process.env), options);
  });

const erasure = program
  .command('erasure')
  .description('the erasure job: ended disposal holds and raw-event retention (docs/operations.md)');
erasure
  .command('run')
  .description('run the erasure job once (as the tracker does on its schedule), under its lease')
  .option('--now <instant>', 'the instant to run at (ISO-8601; default: now) — holds ended by then, retention counted from then')
  .action(async (options: { now?: string }) => {
    const { runErasure } = await import('./commands/erasure.command.js');
    await runErasure(await checkpointSetup(), process.env, options);
  });

program
  .command('retention')
  .description('raw-event retention (RAW_EVENT_RETENTION_YEARS): with --dry-run, what would be erased, counted by area and line')
  .requiredOption('--dry-run', 'report only (erasure itself is `linewatch erasure run`)')
  .option('--now <instant>', 'count the retention period back from this instant (ISO-8601; default: now)')
  .action(async (options: { now?: string }) => {
    const { previewRetention } = await import('./commands/erasure.command.js');
    await previewRetention(infrastructure().database, process.env, options);
  });

program
  .command('export')
  .description('weekly trend exports (docs/exports.md)')
  .command('weekly')
  .description('weekly figures per area and ISO week (Europe/London); recorded in the disclosure log')
  .requiredOption('--from <date>', 'first day (YYYY-MM-DD): its week and every week after')
  .requiredOption('--to <date>', 'last day (YYYY-MM-DD): up to its week')
  .option('--area <code>', 'one area')
  .option('--format <format>', 'csv, json, xlsx, svg or png', 'csv')
  .option('--partner', 'the partner version (small counts of people suppressed)')
  .option('--out <file>', 'write to this file (default: standard output)')
  .option('--justification <text>', 'why (recorded in the disclosure log)')
  .action(
    async (options: {
      from: string;
      to: string;
      area?: string;
      format: string;
      partner?: boolean;
      out?: string;
      justification?: string;
    }) => {
      const { exportWeekly } = await import('./commands/export.command.js');
      const summary = await exportWeekly(infrastructure().database, process.env, { ...options, actor: `cli:${userInfo().username}` });
      if (summary) console.error(summary);
    },
  );

program
  .command('demo-feed')
  .description(
    'synthetic, clearly fictional events across B&NES areas: lines that start, go quiet, get raided, resurface, close, swap numbers, are reported by number and replaced',
  )
  .option('--seed <n>', 'the same seed gives the same feed', positiveInt, 1)
  .option('--lines <n>', 'how many lines', positiveInt, 40)
  .option('--from <date>', 'first day (ISO date)', '2026-06-01')
  .option('--to <date>', 'last day (ISO date; default: today)')
  .option('--out <file>', 'write the reports as NDJSON here instead of standard output')
  .option('--decisions-out <file>', "write the analysts' decisions (merges) as NDJSON here (ingest refuses them)")
  .option('--post', "post the reports to ingest instead (replay), then publish the analysts' decisions to Kafka")
  .option('--url <url>', 'with --post: ingest base URL', ingestUrl())
  .option(
    '--history-days <n>',
    'with --post: reports older than n days go as a history import (recorded, never pushed as alerts)',
    positiveInt,
  )
  .action(
    async (options: {
      seed: number;
      lines: number;
      from: string;
      to?: string;
      out?: string;
      decisionsOut?: string;
      post?: boolean;
      url: string;
      historyDays?: number;
    }) => {
      const { demoFeed } = await import('./commands/demo-feed.command.js');
      await demoFeed({ ...options, ...(options.post ? { kafka: infrastructure().kafka } : {}) });
    },
  );

program
  .command('openapi')
  .description("write each service's OpenAPI document to docs/openapi/<service>.json (from the route contracts; nothing needs to run)")
  .action(async () => {
    const { writeOpenApiDocuments } = await import('./commands/openapi.command.js');
    await writeOpenApiDocuments();
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(
    error instanceof ConfigError ? `linewatch: ${error.message}` : `linewatch: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(error instanceof ConfigError ? 78 : 1);
});
