import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorBodyV1 } from '@linewatch/contracts';

/** What Node's HTTP parser refuses before Express sees a request, answered in the one error shape. */
function answerOf(error: Error & { code?: string }): { status: number; reason: string; body: ErrorBodyV1 } {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        reason: 'Request Header Fields Too Large',
        body: { code: 'HEADERS_TOO_LARGE', message: 'the request headers are larger than this service accepts', errors: [] },
      };
    case 'HPE_INVALID_HEADER_TOKEN':
    case 'HPE_INVALID_URL':
      return {
        status: 400,
        reason: 'Bad Request',
        body: {
          code: 'INVALID_CHARACTERS',
          message:
            'the request line or a header holds a character HTTP does not allow (a NUL, a control character or a raw non-ASCII byte)',
          errors: [{ path: error.code === 'HPE_INVALID_URL' ? '(path)' : '(header)', message: error.message }],
        },
      };
    default:
      return {
        status: 400,
        reason: 'Bad Request',
        body: { code: 'MALFORMED_REQUEST', message: 'the request is not valid HTTP/1.1', errors: [] },
      };
  }
}

/**
 * Answers a request Node's parser refused (`clientError`) with a JSON error body instead of Node's
 * bare `400 Bad Request`; a connection reset or a timeout is only closed.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return void socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    const { status, reason, body } = answerOf(error);
    const json = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\n` +
        `Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${json}`,
    );
  });
}
