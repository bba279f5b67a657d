/**
 * Where the embedded database's time goes, per statement text: how often each ran and how long
 * PGlite took over it (summed, worst). Opt-in (`profile: true`): the single WASM backend runs every
 * statement of every service in turn, so a slower pipeline is first a question of which
 * statements got more expensive or more frequent — this answers it without a server's
 * pg_stat_statements.
 */
export interface StatementCost {
  /** The statement's text, whitespace collapsed, cut at 160 characters. */
  readonly sql: string;
  readonly calls: number;
  readonly totalMs: number;
  readonly maxMs: number;
}

const TEXT_LIMIT = 160;

/** The statement texts of a batch of whole messages: each Parse ('P') and simple Query ('Q'). */
export function statementTexts(messages: Buffer): string[] {
  const texts: string[] = [];
  let offset = 0;
  while (messages.length - offset >= 5) {
    const type = messages[offset];
    const length = messages.readInt32BE(offset + 1);
    const body = messages.subarray(offset + 5, offset + 1 + length);
    if (type === 0x51 /* Q */) {
      texts.push(cString(body, 0));
    } else if (type === 0x50 /* P */) {
      const nameEnd = body.indexOf(0);
      texts.push(cString(body, nameEnd + 1));
    }
    offset += 1 + length;
  }
  return texts;
}

function cString(body: Buffer, start: number): string {
  const end = body.indexOf(0, start);
  return body
    .subarray(start, end === -1 ? body.length : Math.min(end, start + 4 * TEXT_LIMIT))
    .toString('utf8')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, TEXT_LIMIT);
}

export class StatementProfile {
  private readonly costs = new Map<string, { calls: number; totalMs: number; maxMs: number }>();

  /** One PGlite call's time, charged to its first statement (a batch that only binds an earlier Parse: "(bind)"). */
  record(messages: Buffer, ms: number): void {
    const sql = statementTexts(messages)[0] ?? '(bind/execute of an earlier statement)';
    const cost = this.costs.get(sql) ?? { calls: 0, totalMs: 0, maxMs: 0 };
    cost.calls += 1;
    cost.totalMs += ms;
    cost.maxMs = Math.max(cost.maxMs, ms);
    this.costs.set(sql, cost);
  }

  /** The costliest statements first. */
  snapshot(limit = 40): StatementCost[] {
    return [...this.costs]
      .map(([sql, cost]) => ({ sql, calls: cost.calls, totalMs: Math.round(cost.totalMs), maxMs: Math.round(cost.maxMs) }))
      .sort((a, b) => b.totalMs - a.totalMs)
      .slice(0, limit);
  }
}
