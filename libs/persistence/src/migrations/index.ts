import { IntelEvents1796083200000 } from './1796083200000-intel-events';
import { IntakeReceipts1796083200001 } from './1796083200001-intake-receipts';
import { LineState1796083200002 } from './1796083200002-line-state';
import { Alerts1796083200003 } from './1796083200003-alerts';
import { AuditChain1796083200004 } from './1796083200004-audit-chain';
import { ReviewsAndAlertQueries1796083200005 } from './1796083200005-reviews-and-alert-queries';
import { WeeklyFigures1796083200006 } from './1796083200006-weekly-figures';
import { WeeklyLineCounts1796083200007 } from './1796083200007-weekly-line-counts';
import { LineIdentity1796083200008 } from './1796083200008-line-identity';
import { AlertOrder1796083200009 } from './1796083200009-alert-order';
import { IntakeResolutions1796083200010 } from './1796083200010-intake-resolutions';
import { HistoryImports1796083200020 } from './1796083200020-history-imports';
import { TeamDigests1796083200025 } from './1796083200025-team-digests';
import { Erasure1796083200030 } from './1796083200030-erasure';
import { ClosureCheckBacks1796083200035 } from './1796083200035-closure-check-backs';
import { DeadLetters1796083200045 } from './1796083200045-dead-letters';
import { ErasedCheckBacks1796083200050 } from './1796083200050-erased-check-backs';
import { LineRecentEvents1796083200055 } from './1796083200055-line-recent-events';

/** Every migration, in order. Append only. */
export const MIGRATIONS = [
  IntelEvents1796083200000,
  IntakeReceipts1796083200001,
  LineState1796083200002,
  Alerts1796083200003,
  AuditChain1796083200004,
  ReviewsAndAlertQueries1796083200005,
  WeeklyFigures1796083200006,
  WeeklyLineCounts1796083200007,
  LineIdentity1796083200008,
  AlertOrder1796083200009,
  IntakeResolutions1796083200010,
  HistoryImports1796083200020,
  TeamDigests1796083200025,
  Erasure1796083200030,
  ClosureCheckBacks1796083200035,
  DeadLetters1796083200045,
  ErasedCheckBacks1796083200050,
  LineRecentEvents1796083200055,
];
