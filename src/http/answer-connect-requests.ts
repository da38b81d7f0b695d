import { ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Node hands a CONNECT request to the server's `connect` listeners and, when there is none, closes
 * the connection without a word. Signet is no proxy: a CONNECT goes through the application like
 * any request, so it is refused in the envelope of the surface its path belongs to (docs/spec.md §6).
 */
export function answerConnectRequests(
  server: Server,
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): void {
  server.on('connect', (request: IncomingMessage, socket: Duplex) => {
    const response = new ServerResponse(request);
    response.shouldKeepAlive = false;
    response.assignSocket(socket as Parameters<ServerResponse['assignSocket']>[0]);
    response.on('finish', () => {
      response.detachSocket(socket as Parameters<ServerResponse['detachSocket']>[0]);
      socket.end();
    });
    handler(request, response);
  });
}
