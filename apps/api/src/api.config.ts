import { loadServiceConfig, type Env } from '@linewatch/config';

export function loadApiConfig(env: Env) {
  return loadServiceConfig('api', env);
}

export type ApiConfig = ReturnType<typeof loadApiConfig>;
export const API_CONFIG = Symbol('API_CONFIG');
