/**
 * A scheduled AUTO rotation carried out more than this after it was due counts as overdue: the
 * scheduler runs at least every few seconds, so a lag this long means it could not (the database
 * was down, every instance was stopped) and operators hear of it (`dev.signet.rotation.overdue`).
 */
export const ROTATION_OVERDUE_AFTER_MS = 5 * 60 * 1000;

/** How late a rotation due at `dueAt` and carried out at `now` is, or null when it is in time. */
export function rotationOverdueMs(dueAt: number, now: number): number | null {
  const late = now - dueAt;
  return late > ROTATION_OVERDUE_AFTER_MS ? late : null;
}
