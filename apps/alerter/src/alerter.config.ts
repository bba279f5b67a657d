import { loadServiceConfig, type Env } from '@linewatch/config';

export function loadAlerterConfig(env: Env) {
  return loadServiceConfig('alerter', env);
}

export type AlerterConfig = ReturnType<typeof loadAlerterConfig>;
