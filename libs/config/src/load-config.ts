import { z } from 'zod';

/** Raised at boot when the environment is unusable; names every bad variable. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/**
 * Parses the environment once into a frozen typed object. The schema maps
 * variable names to their parsed values; every failing variable is reported,
 * not only the first. Empty strings count as unset.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: Env): z.infer<S> {
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') cleaned[key] = value.trim();
  }
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = issue.path.length > 0 ? issue.path.join('.') : '(environment)';
      const given = typeof issue.path[0] === 'string' ? cleaned[issue.path[0]] : undefined;
      // Secrets by name are hidden; so are credentials inside a URL (DATABASE_URL, SMTP_URL), valid or not.
      const shown =
        given === undefined
          ? 'unset'
          : /PASSWORD|SECRET|TOKEN|KEY/i.test(name)
            ? 'given (hidden)'
            : JSON.stringify(given.replace(/\/\/[^/\s]*@/g, '//[redacted]@'));
      return `${name}: ${issue.message} (${shown})`;
    });
    throw new ConfigError(problems);
  }
  return deepFreeze(result.data);
}
