export { PlatformModule } from './platform.module';
export { PeriodicTask } from './periodic-task';
export { mountOpenApi } from './openapi';
