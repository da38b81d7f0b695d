import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { isLingering, linger } from './linger-on-close.ts';

// Fastify's own answers to a request Node's parser refused, kept as they were.
const ANSWERS: Record<string, { status: number; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'Client Timeout' },
  HPE_HEADER_OVERFLOW: { status: 431, message: 'Exceeded maximum allowed HTTP header size' },
};

/**
 * Fastify's `clientErrorHandler`: answers a request Node's HTTP parser refused (headers too large,
 * a malformed request line, a body framed two ways) as Fastify does by default, then lingers
 * instead of destroying the socket, so the client receives the 4xx rather than a reset.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // The parser reports the same failure again for every chunk that follows; a reset socket is gone.
  if (error.code === 'ECONNRESET' || socket.destroyed || isLingering(socket)) return;
  const { status, message } = ANSWERS[error.code ?? ''] ?? { status: 400, message: 'Client Error' };
  const body = `{"error":"${STATUS_CODES[status]}","message":"${message}","statusCode":${status}}`;
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${body.length}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  linger(socket);
}
