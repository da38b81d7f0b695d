/**
 * The AES-GCM additional data of a webhook's sealed signing secret: it binds the ciphertext to its
 * subscription, so a sealed secret copied onto another webhook fails to unseal.
 */
export function webhookSecretAad(webhookId: string): string {
  return `webhook/${webhookId}`;
}
