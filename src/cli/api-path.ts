/** Builds an API path, percent-encoding every interpolated identifier: apiPath`/key-sets/${id}/keys`. */
export function apiPath(strings: TemplateStringsArray, ...ids: readonly string[]): string {
  return strings.reduce(
    (path, part, index) => path + part + (index < ids.length ? encodeURIComponent(ids[index]!) : ''),
    '',
  );
}
