import { CodedError } from '@linewatch/platform';

export class SilenceError extends CodedError<'UNKNOWN_AREA' | 'INVALID_SILENCE' | 'SILENCE_NOT_FOUND'> {}
