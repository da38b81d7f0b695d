/** The warning printed (to stderr) beside a secret the server returns only once. */
export function secretNotice(what: string): string {
  return `warning: the ${what} is shown only this once and cannot be retrieved again; store it now.`;
}
