import { CodedError } from '@linewatch/platform';

export class EventError extends CodedError<'EVENT_NOT_FOUND'> {}
