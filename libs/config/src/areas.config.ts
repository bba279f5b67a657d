import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { checkBackEnvShape, dormancyEnvShape } from './env.schema';
import { ConfigError, parseEnv, type Env } from './load-config';

export interface Area {
  readonly code: string;
  readonly name: string;
  readonly neighbourhoodTeam: string;
  /** The area's dormancy window in days (the global DORMANCY_WINDOW_DAYS when absent). */
  readonly dormancyWindowDays?: number;
  /** Neighbouring areas (replacement suggestions look at lines in the same or a neighbouring area); read both ways. */
  readonly neighbours?: readonly string[];
}

export interface AreasConfig {
  readonly file: string;
  readonly areas: readonly Area[];
  readonly codes: ReadonlySet<string>;
}

const areasFile = z.object({
  $comment: z.string().optional(),
  areas: z
    .array(
      z
        .object({
          code: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'area codes are lower-case words joined by hyphens'),
          name: z.string().min(1),
          neighbourhoodTeam: z.string().min(1),
          dormancyWindowDays: z.number().int().min(1).max(3650).optional(),
          neighbours: z.array(z.string()).optional(),
        })
        .strict(),
    )
    .min(1, 'at least one area')
    .refine((areas) => new Set(areas.map((a) => a.code)).size === areas.length, 'area codes must be unique')
    .superRefine((areas, ctx) => {
      const codes = new Set(areas.map((a) => a.code));
      areas.forEach((area, index) =>
        (area.neighbours ?? []).forEach((neighbour, at) => {
          if (neighbour === area.code)
            ctx.addIssue({ code: 'custom', path: [index, 'neighbours', at], message: 'an area is not its own neighbour' });
          else if (!codes.has(neighbour))
            ctx.addIssue({ code: 'custom', path: [index, 'neighbours', at], message: `"${neighbour}" is not an area of this file` });
        }),
      );
    }),
});

/** The shipped file, found from the code's location (sources, dist/ or an image alike). */
export function defaultAreasFile(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'config', 'areas.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return join(process.cwd(), 'config', 'areas.json');
  }
}

/** Reads and validates the areas file; problems are reported against AREAS_FILE. */
export function loadAreas(file: string): AreasConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError([`AREAS_FILE: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const result = areasFile.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `AREAS_FILE (${file}) ${issue.path.join('.') || '(file)'}: ${issue.message}`));
  }
  const areas = Object.freeze(
    result.data.areas.map((a) =>
      Object.freeze({ ...a, ...(a.neighbours === undefined ? {} : { neighbours: Object.freeze([...a.neighbours]) }) }),
    ),
  );
  return Object.freeze({ file, areas, codes: new Set(areas.map((a) => a.code)) });
}

/** Dormancy windows in days: the global default and each area's own (the domain's `DormancyPolicy` shape). */
export interface DormancyWindows {
  readonly defaultDays: number;
  readonly byArea: Readonly<Record<string, number>>;
}

export function dormancyWindowsOf(areas: AreasConfig, defaultDays: number): DormancyWindows {
  const byArea: Record<string, number> = {};
  for (const area of areas.areas) if (area.dormancyWindowDays !== undefined) byArea[area.code] = area.dormancyWindowDays;
  return Object.freeze({ defaultDays, byArea: Object.freeze(byArea) });
}

/** The dormancy windows alone, for tools (the rebuild command): DORMANCY_WINDOW_DAYS and AREAS_FILE. */
export function loadDormancyWindows(env: Env): DormancyWindows {
  const { DORMANCY_WINDOW_DAYS } = parseEnv(z.object(dormancyEnvShape), env);
  return dormancyWindowsOf(loadAreas(env.AREAS_FILE || defaultAreasFile()), DORMANCY_WINDOW_DAYS);
}

/**
 * Each area's neighbours, both ways (a neighbour of b is b's neighbour even when only one of them
 * lists the other): the domain's `ReplacementPolicy.neighbours`.
 */
export function neighboursOf(areas: AreasConfig): Readonly<Record<string, readonly string[]>> {
  const out: Record<string, Set<string>> = {};
  const add = (a: string, b: string) => (out[a] ??= new Set()).add(b);
  for (const area of areas.areas)
    for (const neighbour of area.neighbours ?? []) {
      add(area.code, neighbour);
      add(neighbour, area.code);
    }
  return Object.freeze(Object.fromEntries(Object.entries(out).map(([code, set]) => [code, Object.freeze([...set].sort())])));
}

/** The closure check-back offsets (CHECK_BACK_DAYS), for a command outside the tracker (`linewatch rebuild`). */
export function loadCheckBackDays(env: Env): readonly number[] {
  return parseEnv(z.object(checkBackEnvShape), env).CHECK_BACK_DAYS;
}
