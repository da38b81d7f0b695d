import type { Store } from '../storage/store.ts';

/** How long /readyz waits for the database before calling it unreachable. */
const CHECK_TIMEOUT_MS = 1000;

/** True when the database answers a trivial read within a second. */
export async function checkDatabase(store: Store): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      store.read(async (reader) => {
        await reader.getMeta('bootstrap.completedAt');
        return true;
      }),
      timeout,
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
