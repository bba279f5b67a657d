export { defaultAreasFile, loadAreas, type Area, type AreasConfig } from './areas.config';
export { ConfigError, parseEnv, type Env } from './load-config';
export { DEFAULT_EMBEDDED_DB_PORT, booleanVariable, portVariable, positiveIntegerVariable } from './env.schema';
export {
  SERVICE_PORTS,
  loadAuthConfig,
  type AuthConfig,
  loadInfrastructureConfig,
  loadServiceConfig,
  type DatabaseConfig,
  type KafkaConfig,
  type RedisConfig,
  type ServiceConfig,
  type ServiceName,
} from './service-config';
