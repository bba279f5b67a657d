import './register-paths';
import { stopTestStack } from './test-stack';

export default async function globalTeardown(): Promise<void> {
  await stopTestStack();
}
