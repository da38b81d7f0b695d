import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

// Bounds of the linger: a client that keeps sending is cut off after this much time or data.
const LINGER_MS = 2_000;
const LINGER_BYTES = 8 * 1024 * 1024;

const lingering = new WeakSet<Duplex>();

/** True once `linger` took `socket` over. */
export function isLingering(socket: Duplex): boolean {
  return lingering.has(socket);
}

/**
 * Half-closes `socket`, then reads and discards what the client is still sending (bounded) before
 * closing it: closing a socket with unread data makes the kernel send a reset, and the client then
 * drops the answer it was sent (nginx's lingering_close solves the same).
 */
export function linger(socket: Duplex): void {
  if (lingering.has(socket)) return;
  lingering.add(socket);
  let read = 0;
  const close = (): void => {
    clearTimeout(timer);
    socket.destroy();
  };
  const timer = setTimeout(close, LINGER_MS);
  timer.unref();
  socket.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > LINGER_BYTES) close();
  });
  socket.once('end', close);
  socket.once('error', close);
  socket.end();
  socket.resume();
}

/**
 * Makes `server` close a `Connection: close` response's socket by lingering, so a request refused
 * before its body was read (413 for too large a body) reaches the client as its 4xx instead of a
 * connection reset (docs/spec.md §6).
 */
export function lingerOnClose(server: Server): void {
  server.on('connection', (socket: Socket) => {
    // node:http ends such a response with destroySoon, the request body maybe unread.
    socket.destroySoon = () => linger(socket);
  });
}
