/**
 * `linewatch` — the command line (`npm run cli -- <command>`).
 * Reads its settings from the same environment variables as the services.
 */
import 'reflect-metadata';
import { Command } from 'commander';
import { ConfigError, loadInfrastructureConfig } from '@linewatch/config';
import { TOPIC_DECLARATIONS } from '@linewatch/contracts';
import { applyTopics, createKafka } from '@linewatch/messaging';
import { createLogger } from '@linewatch/observability';
import { runMigrations } from '@linewatch/persistence';

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

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `linewatch: ${error.message}` : error);
  process.exit(error instanceof ConfigError ? 78 : 1);
});
