import { CodedError } from '@linewatch/platform';

export class LineError extends CodedError<'LINE_NOT_FOUND'> {}
