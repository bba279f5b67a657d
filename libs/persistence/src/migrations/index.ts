import { IntelEvents1796083200000 } from './1796083200000-intel-events';

/** Every migration, in order. Append only. */
export const MIGRATIONS = [IntelEvents1796083200000];
