import { CodedError } from '@linewatch/platform';

export class CheckBackError extends CodedError<
  'LINE_NOT_FOUND' | 'INVALID_CHECK_BACK' | 'CHECK_BACK_NOT_FOUND' | 'NO_TYPE_1_CLOSURE' | 'CHECK_BACK_NOT_OPEN'
> {}
