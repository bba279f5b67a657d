import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { type Observable, throwError } from 'rxjs';

/**
 * Hands a batch handler's error, unchanged, back to the transport. Nest's default RPC filter logs
 * it and replaces it with `{ status: 'error', message: 'Internal server error' }`; the transport
 * must see the real error, because a failed batch is not committed and comes again, and the
 * consumer's logs (and kafkajs' retry) should name what failed.
 */
@Catch()
export class BatchErrorsFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
