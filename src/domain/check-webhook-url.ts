import { isIP } from 'node:net';
import { SignetError } from '../errors.ts';
import { isPrivateAddress } from './is-private-address.ts';

/** What the operator allowed beyond public https receivers. */
export interface WebhookTargetRules {
  /** `SIGNET_WEBHOOK_ALLOW_HTTP`: plain `http:` URLs are accepted. */
  allowHttp: boolean;
  /** `SIGNET_WEBHOOK_ALLOW_PRIVATE_NETWORKS`: loopback, private and link-local targets are accepted. */
  allowPrivateNetworks: boolean;
}

/**
 * Checks a subscription URL when it is written and returns it normalised: absolute, `https:`
 * unless http is allowed, no credentials in it, and no private IP literal unless allowed. A host
 * name is checked again at every delivery against the addresses it resolves to then.
 */
export function checkWebhookUrl(input: string, rules: WebhookTargetRules): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new SignetError('ERR_VALIDATION', 'url must be an absolute URL', { field: 'url' });
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && rules.allowHttp)) {
    throw new SignetError(
      'ERR_WEBHOOK_URL_REFUSED',
      rules.allowHttp ? 'url must use https: or http:' : 'url must use https: (SIGNET_WEBHOOK_ALLOW_HTTP allows http:)',
      { field: 'url', reason: 'scheme' },
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new SignetError('ERR_VALIDATION', 'url must not carry credentials', { field: 'url' });
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = isIP(host) !== 0;
  const named = host.toLowerCase();
  if (
    !rules.allowPrivateNetworks &&
    ((literal && isPrivateAddress(host)) || named === 'localhost' || named.endsWith('.localhost'))
  ) {
    throw new SignetError(
      'ERR_WEBHOOK_URL_REFUSED',
      'url points at a private, loopback or link-local address (SIGNET_WEBHOOK_ALLOW_PRIVATE_NETWORKS allows it)',
      { field: 'url', reason: 'private-network' },
    );
  }
  return url.toString();
}
