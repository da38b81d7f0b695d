import { lstat, unlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { SignetError } from '../errors.ts';

/**
 * Makes `path` free for a new Unix socket: a socket nobody answers on (left by a crash) is removed,
 * one a live process answers on is refused (ERR_ALREADY_EXISTS), and anything that is not a socket
 * is never deleted.
 */
export async function claimSocketPath(path: string): Promise<void> {
  const stats = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (stats === null) return;
  if (!stats.isSocket())
    throw new SignetError('ERR_ALREADY_EXISTS', `${path} exists and is not a socket; refusing to replace it`, {
      fields: ['k8s-signer-socket'],
    });
  if (await answers(path))
    throw new SignetError('ERR_ALREADY_EXISTS', `another process is serving the socket ${path}`, {
      fields: ['k8s-signer-socket'],
    });
  await unlink(path);
}

/** Whether a process accepts connections on the socket (the connect probe). */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
