/**
 * The team digest webhook body as JSON Schema (draft 2020-12), published beside the event schemas
 * in libs/contracts/schemas/ (`npm run schemas`): what a receiver of `kind: "team-digest"` gets.
 */
import { z } from 'zod';
import { teamDigestWebhookV1 } from './team-digest.v1';

export const TEAM_DIGEST_WEBHOOK_SCHEMA_FILE = 'webhook.team-digest.v1.json';

export function teamDigestJsonSchemas(baseUri: string): Record<string, object> {
  const { $schema, ...rest } = z.toJSONSchema(teamDigestWebhookV1, {
    target: 'draft-2020-12',
    io: 'output',
    unrepresentable: 'throw',
  }) as Record<string, unknown>;
  return {
    [TEAM_DIGEST_WEBHOOK_SCHEMA_FILE]: {
      $schema,
      $id: `${baseUri}${TEAM_DIGEST_WEBHOOK_SCHEMA_FILE}`,
      title: 'linewatch webhook: team digest, contentVersion 1',
      description:
        'The body of a team digest webhook (kind "team-digest"), signed with X-LineWatch-Signature like alerts: lines in the team areas by state, every change since the previous digest (pushed or not), alerts still open.',
      $comment: 'Generated from libs/contracts/src/team-digest.v1.ts by scripts/generate-schemas.ts (npm run schemas); do not edit.',
      ...rest,
    },
  };
}
