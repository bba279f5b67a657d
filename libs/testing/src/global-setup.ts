// Order matters: the aliases must be registered before test-stack's imports resolve.
import './register-paths';
import { startTestStack } from './test-stack';

export default async function globalSetup(): Promise<void> {
  await startTestStack();
}
