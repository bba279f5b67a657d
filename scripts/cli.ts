/**
 * `linewatch` — the command line (`npm run cli -- <command>`).
 * Reads its settings from the same environment variables as the services.
 */
import 'reflect-metadata';
import { Command } from 'commander';
import { join } from 'node:path';
import { ConfigError, loadAuthConfig, loadInfrastructureConfig } from '@linewatch/config';
import { ROLES, TOPIC_DECLARATIONS, type Role } from '@linewatch/contracts';
import { applyTopics, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import { runMigrations } from '@linewatch/persistence';
import { issueDevelopmentToken } from '@linewatch/security';
import { developmentSecret } from './development-secret';
import { repoRoot } from './repo-paths';

function infrastructure() {
  return loadInfrastructureConfig(process.env, 'linewatch-cli');
}

const program = new Command('linewatch').description('LineWatch command line').showHelpAfterError();

program
  .command('migrate')
  .description('apply pending database migrations (TimescaleDB schema when the extension is there, plain PostgreSQL otherwise)')
  .action(async () => {
    const config = infrastructure();
    const report = await runMigrations(config.database);
    console.log(
      `migrations: ${report.applied.length === 0 ? 'none pending' : `applied ${report.applied.join(', ')}`}; schema flavour: ${report.timescale ? 'TimescaleDB' : 'plain PostgreSQL'}`,
    );
  });

program
  .command('topics')
  .description('Kafka topics')
  .command('apply')
  .description('create or update the declared topics (libs/contracts/src/topics.ts)')
  .action(async () => {
    const config = infrastructure();
    const report = await applyTopics(createKafka(config.kafka, createLogger('cli', config.log.level)), TOPIC_DECLARATIONS);
    console.log(
      `topics: created [${report.created.join(', ')}], grown [${report.grown.join(', ')}], unchanged [${report.unchanged.join(', ')}]`,
    );
  });

const collect = (value: string, previous: string[]) => [...previous, value];
const DURATION = /^(\d+)([smhd])$/;
const SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

program
  .command('token')
  .description('issue a development access token, signed with the local key (AUTH_JWT_SECRET, or the one npm start made)')
  .requiredOption('--role <role>', `role to carry, repeatable: ${ROLES.join(', ')}`, collect, [])
  .option('--area <area>', 'area an officer is scoped to, repeatable', collect, [])
  .option('--subject <subject>', 'who the token is for', 'dev-user')
  .option('--ttl <duration>', 'lifetime, e.g. 30m, 8h, 7d', '8h')
  .action(async (options: { role: string[]; area: string[]; subject: string; ttl: string }) => {
    const unknown = options.role.filter((r) => !(ROLES as readonly string[]).includes(r));
    if (unknown.length > 0) throw new Error(`unknown role ${unknown.join(', ')}; expected ${ROLES.join(', ')}`);
    const ttl = DURATION.exec(options.ttl);
    if (!ttl) throw new Error('--ttl: expected a duration such as 30m, 8h or 7d');
    const env = { ...process.env };
    if (!env.AUTH_JWT_SECRET && !env.AUTH_JWKS_URL) {
      env.AUTH_JWT_SECRET = developmentSecret(process.env.LINEWATCH_DATA_DIR ?? join(repoRoot(), 'data'));
    }
    const token = await issueDevelopmentToken(loadAuthConfig(env), {
      subject: options.subject,
      roles: options.role as Role[],
      areas: options.area,
      ttlSeconds: Number(ttl[1]) * SECONDS[ttl[2] as keyof typeof SECONDS],
      now: new Date(),
    });
    console.log(token);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `linewatch: ${error.message}` : error);
  process.exit(error instanceof ConfigError ? 78 : 1);
});
