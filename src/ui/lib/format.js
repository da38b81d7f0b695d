const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const fullDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'long' });

/**
 * A duration in seconds as people say it: "90 d", "2 h 5 min", "45 s".
 * @param {number} seconds
 */
export function formatDuration(seconds) {
  const s = Math.round(Math.abs(seconds));
  if (s < MINUTE) return `${s} s`;
  /** @type {string[]} */
  const parts = [];
  let rest = s;
  for (const [unit, size] of /** @type {[string, number][]} */ ([
    ['d', DAY],
    ['h', HOUR],
    ['min', MINUTE],
  ])) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)} ${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  if (parts.length === 0 || (s < HOUR && rest > 0 && parts.length < 2)) parts.push(`${rest} s`);
  return parts.join(' ');
}

/**
 * Epoch ms of an ISO time or epoch ms; NaN for none.
 * @param {string | number | null | undefined} at
 */
export function toMs(at) {
  return typeof at === 'number' ? at : at ? Date.parse(at) : Number.NaN;
}

/**
 * A time relative to now: "in 42 min", "3 d ago", "now".
 * @param {string | number | null} at ISO time or epoch ms
 * @param {number} [now]
 */
export function formatRelative(at, now = Date.now()) {
  const ms = toMs(at);
  if (Number.isNaN(ms)) return '';
  const seconds = (ms - now) / 1000;
  if (Math.abs(seconds) < 30) return 'now';
  // Seconds matter only in the last few minutes.
  const text = formatDuration(Math.abs(seconds) >= 5 * MINUTE ? Math.round(seconds / MINUTE) * MINUTE : seconds);
  return seconds > 0 ? `in ${text}` : `${text} ago`;
}

/**
 * A short absolute time in the reader's locale and time zone.
 * @param {string | number | null} at
 */
export function formatTime(at) {
  const ms = toMs(at);
  return Number.isNaN(ms) ? '—' : dateTime.format(ms);
}

/**
 * The unambiguous long form, for tooltips.
 * @param {string | number | null} at
 */
export function formatFullTime(at) {
  const ms = toMs(at);
  return Number.isNaN(ms) ? '' : fullDateTime.format(ms);
}

/**
 * The first characters of a kid, for places too narrow for all 43.
 * @param {string} kid
 */
export function shortKid(kid) {
  return kid.length > 12 ? `${kid.slice(0, 10)}…` : kid;
}

/** Human names of audit actions. */
export const ACTION_LABELS = /** @type {const} */ ({
  'tenant.created': 'Tenant created',
  'tenant.updated': 'Tenant updated',
  'authorizationServer.created': 'Authorization server created',
  'authorizationServer.updated': 'Authorization server updated',
  'keySet.created': 'Key set created',
  'keySet.policyUpdated': 'Policy changed',
  'key.generated': 'Key generated',
  'key.imported': 'Key imported',
  'key.activated': 'Key activated',
  'key.draining': 'Key draining',
  'key.retired': 'Key retired',
  'key.revoked': 'Key revoked',
  'key.certificateRenewed': 'Certificate renewed',
  'key.signatures': 'Signatures counted',
  'client.created': 'API client created',
  'client.deleted': 'API client deleted',
  'apiToken.created': 'API token created',
  'apiToken.deleted': 'API token deleted',
});

/** Human names of scheduled transitions. */
export const TRANSITION_LABELS = /** @type {const} */ ({
  rotate: 'Rotation',
  retire: 'Retirement',
  renewCertificate: 'Certificate renewal',
  generateNext: 'Next key generated',
  // Informational: a CA-issued certificate Signet does not renew runs out.
  certificateExpires: 'CA certificate expires',
});

/**
 * Where a key set's private keys live, in a person's words.
 * @param {'sealed' | 'pkcs11'} custody
 */
export function custodyLabel(custody) {
  return custody === 'pkcs11' ? 'keys on HSM (PKCS#11)' : 'keys sealed';
}
