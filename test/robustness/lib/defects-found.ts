/** A defect the robustness suite (or a test written for the same issue) found, and how it was fixed. */
export interface DefectFound {
  found: string;
  by: string;
  fix: string;
}

/**
 * Every defect found, rendered into bench/SOAK.md. Written by hand (the results around it are
 * generated): add an entry with each fix the suite leads to.
 */
export const DEFECTS_FOUND: readonly DefectFound[] = [
  {
    found:
      'A CONNECT request (any path) got no answer: Node hands CONNECT to `connect` listeners and, with none, closes the connection silently.',
    by: 'fuzzer, wrong-method (counted as no-answer: 57 of 3,000 requests at seed 1)',
    fix: 'src/http/answer-connect-requests.ts sends CONNECT through the application like any request: 404 in the envelope of the surface its path belongs to.',
  },
  {
    found:
      'A body over the limit (413) and a request refused by the HTTP parser (431 for too large headers, 400 for a malformed request line or a body framed both by Content-Length and chunked) reached the client as a TCP reset in about a quarter to a half of tries: the socket was destroyed with request bytes still unread, so the kernel reset the connection and the client dropped the answer.',
    by: 'fuzzer, huge-body, huge-headers and odd-encoding (no-answer: 70 of 3,000 requests at seed 1, with the CONNECT ones)',
    fix: 'Lingering close (as nginx does): src/http/linger-on-close.ts half-closes such a connection and discards what the client still sends, up to 2 s or 8 MiB, before closing; src/http/answer-client-error.ts gives Fastify the same for parser errors, with the same answers as before.',
  },
  {
    found:
      'A PostgreSQL that hangs instead of refusing (a stopped server, a lock held by another connection) kept management requests waiting without end: no statement, lock or client-side timeout was set.',
    by: 'test/scale/database-hang.test.ts (written with the suite: SIGSTOP of every server process, and a table lock held from another connection)',
    fix: 'SIGNET_DATABASE_STATEMENT_TIMEOUT_SECONDS (10) and SIGNET_DATABASE_LOCK_TIMEOUT_SECONDS (5) on every pooled connection, a client-side query timeout 2 s longer, and the timeouts mapped to ERR_UNAVAILABLE (503 in the native envelope, as for an unreachable database); a timed-out connection is discarded, not rolled back.',
  },
];
