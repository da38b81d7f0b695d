/**
 * Parses an application/x-www-form-urlencoded body; a repeated parameter is kept as an array so
 * the token endpoint can refuse it (RFC 6749 §3.2).
 */
export function parseForm(body: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const seen = params[name];
    params[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return params;
}
