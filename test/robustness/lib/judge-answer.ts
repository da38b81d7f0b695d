import { join } from 'node:path';
import type { RawAnswer } from './send-raw.ts';

/** What can be wrong with one answer; every one of them is counted, and any is a defect. */
export type Finding = '5xx' | 'stack-trace' | 'internal-path' | 'non-json' | 'no-answer';

const ROOT = join(import.meta.dirname, '..', '..', '..');
// A stack frame ("    at fn (file:line:col)") or an error's own rendering of one.
const STACK = /\n\s+at \S.*:\d+:\d+\)?|\bat (?:async )?\S+ \((?:file:|node:|\/)/;
// The checkout's path, a dependency's, or a source file of Signet's own.
const INTERNAL = [ROOT, 'node_modules', 'file://', /\b(?:src|test)\/[\w./-]+\.ts\b/];
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

/**
 * Judges one answer. `expectsJson`: the surface promises a JSON body, errors included. An answer
 * from Node's HTTP parser itself (a request it could not read: no content type, no body) is not a
 * route's answer and is held only to the status rules.
 */
export function judgeAnswer(answer: RawAnswer, expectsJson: boolean, method: string): Finding[] {
  if (answer.error) return ['no-answer'];
  const findings: Finding[] = [];
  if (answer.status >= 500) findings.push('5xx');
  const text = answer.body.toString('utf8');
  if (STACK.test(text)) findings.push('stack-trace');
  if (INTERNAL.some((needle) => (typeof needle === 'string' ? text.includes(needle) : needle.test(text))))
    findings.push('internal-path');
  const fromParser = !answer.headers['content-type'] && answer.body.length === 0 && answer.status < 500;
  if (expectsJson && method !== 'HEAD' && answer.status !== 204 && answer.status !== 304 && !fromParser) {
    let parsed = JSON_TYPE.test(answer.headers['content-type'] ?? '');
    if (parsed) {
      try {
        JSON.parse(text);
      } catch {
        parsed = false;
      }
    }
    if (!parsed) findings.push('non-json');
  }
  return findings;
}

// The answer to a request Node's HTTP parser refused (src/http/answer-client-error.ts).
const PARSER_BODY = /^\{"error":"[^"]*","message":"[^"]*","statusCode":\d+\}$/;

/** True when the request never reached a route: Node's HTTP parser refused it. */
export function isParserAnswer(answer: RawAnswer): boolean {
  if (answer.error || answer.status < 400) return false;
  return answer.body.length === 0 ? !answer.headers['content-type'] : PARSER_BODY.test(answer.body.toString('utf8'));
}
