/** A dependency that readiness reflects (Kafka, the database, Redis…). */
export interface ReadinessCheck {
  readonly name: string;
  /** Resolves when the dependency serves; rejects with the reason otherwise. */
  check(): Promise<void>;
}

/** The classes of the checks readiness runs, resolved from the whole application. */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

/** The service's pino logger, for code outside Nest's logger (Kafka, consumers). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
