import type { RequestContext } from '../domain/types.ts';
import type { Store } from '../storage/store.ts';
import { auditEvent } from './audit-event.ts';

/**
 * The scheduler's notice of a CA-issued certificate inside its renew window, which Signet never
 * renews itself: an audit event (and so a `dev.signet.certificate.expiring` event) once per key and
 * certificate, whichever instance or restart sees it first.
 */
export function createCertificateExpiryReporter({ store, now }: { store: Store; now: () => number }) {
  return {
    /** Records that `kid`'s certificate expires at `notAfter`; false when that was already recorded. */
    async reportExpiringCertificate(
      context: RequestContext,
      keySet: { id: string; tenantId: string },
      kid: string,
      notAfter: number,
    ): Promise<boolean> {
      const certificateNotAfter = new Date(notAfter).toISOString();
      return store.transaction(async (tx) => {
        // Under the key set's lock, so two schedulers noticing it at once record it once.
        await tx.lockKeySet(keySet.id);
        const [previous] = await tx.listAuditEvents({
          tenantId: keySet.tenantId,
          keySetId: keySet.id,
          kid,
          action: 'key.certificateExpiring',
          limit: 1,
        });
        if (previous?.details.certificateNotAfter === certificateNotAfter) return false;
        await tx.appendAuditEvent(
          auditEvent(context, keySet.tenantId, now(), 'key.certificateExpiring', 'schedule', {
            keySetId: keySet.id,
            kid,
            details: { certificateNotAfter },
          }),
        );
        return true;
      });
    },
  };
}

export type CertificateExpiryReporter = ReturnType<typeof createCertificateExpiryReporter>;
