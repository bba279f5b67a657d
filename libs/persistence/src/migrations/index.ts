import { IntelEvents1796083200000 } from './1796083200000-intel-events';
import { IntakeReceipts1796083200001 } from './1796083200001-intake-receipts';

/** Every migration, in order. Append only. */
export const MIGRATIONS = [IntelEvents1796083200000, IntakeReceipts1796083200001];
