export { defaultAreasFile, loadAreas, type Area, type AreasConfig } from './areas.config';
export { ConfigError, parseEnv, type Env } from './load-config';
export { positiveIntegerVariable } from './env.schema';
export {
  SERVICE_PORTS,
  localServiceUrl,
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
