import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { describe, it } from 'node:test';

/**
 * The code and the docs cite the product contract and the vendor contracts as
 * `docs/<file>.md §N` (or `§N.M`) and the invariants by name (I1...). A citation is only worth
 * something while it lands: this checks every one names a file in docs/ and a numbered heading of
 * it, and every invariant named anywhere is defined in docs/spec.md.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const SCANNED = ['src', 'test', 'bench', 'scripts', 'docs', 'README.md'];
const TEXT = new Set(['.ts', '.js', '.mjs', '.md', '.css', '.html', '.sql', '.sh', '.json']);
const DOC = 'docs/';

// `docs/spec.md §3`, `docs/vendor-contracts.md §2.3, Okta: ...`, `docs/spec.md I3`.
const CITATION = new RegExp(`${DOC}([a-z0-9-]+\\.md)(?:,? (§\\d+(?:\\.\\d+)*|I\\d+)\\b)?`, 'g');
// An invariant name standing alone (not part of a word, an identifier or a base64 run).
const INVARIANT = /(?<![A-Za-z0-9+/=_-])I(\d+)(?![A-Za-z0-9+/=_-])/g;

interface Source {
  path: string;
  text: string;
}

/** The numbered headings of a Markdown file: `## 3. Timing rules` gives 3, `### 2.1 Auth` gives 2.1. */
function sectionsOf(markdown: string): Set<string> {
  const sections = new Set<string>();
  for (const match of markdown.matchAll(/^#{1,6} (\d+(?:\.\d+)*)\.?\s/gm)) sections.add(match[1]!);
  return sections;
}

/** The invariants docs/spec.md defines, as `- **I1**: ...` items. */
function invariantsOf(spec: string): Set<string> {
  return new Set([...spec.matchAll(/^- \*\*(I\d+)\*\*:/gm)].map((match) => match[1]!));
}

/** Every citation in `sources` that does not land, as `path: citation (reason)`. */
function brokenCitations(sources: readonly Source[], readDoc: (name: string) => string | undefined): string[] {
  const problems: string[] = [];
  const spec = readDoc('spec.md') ?? '';
  const invariants = invariantsOf(spec);
  for (const { path, text } of sources) {
    for (const [citation, file, target] of text.matchAll(CITATION)) {
      const doc = readDoc(file!);
      if (doc === undefined) problems.push(`${path}: ${citation} (no such file)`);
      else if (target?.startsWith('§') && !sectionsOf(doc).has(target.slice(1)))
        problems.push(`${path}: ${citation} (no section ${target})`);
      else if (target?.startsWith('I') && (file !== 'spec.md' || !invariants.has(target)))
        problems.push(`${path}: ${citation} (no invariant ${target} there)`);
    }
    if (path.endsWith('citations.test.ts')) continue;
    for (const [name] of text.matchAll(INVARIANT)) {
      if (!invariants.has(name)) problems.push(`${path}: ${name} (not an invariant of docs/spec.md)`);
    }
  }
  return problems;
}

function walk(dir: string, out: Source[]): Source[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walk(path, out);
    } else if (TEXT.has(extname(entry.name))) {
      out.push({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') });
    }
  }
  return out;
}

const readRepositoryDoc = (name: string): string | undefined => {
  const path = join(ROOT, 'docs', name);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
};

describe('citations of docs/', () => {
  it('every docs/<file>.md §N names an existing file and section, and every invariant is defined in docs/spec.md', () => {
    const sources = SCANNED.flatMap((name) =>
      name.endsWith('.md')
        ? [{ path: name, text: readFileSync(join(ROOT, name), 'utf8') }]
        : walk(join(ROOT, name), []),
    );
    assert.ok(sources.length > 100, 'the tree was scanned');
    assert.deepEqual([...invariantsOf(readRepositoryDoc('spec.md') ?? '')], ['I1', 'I2', 'I3', 'I4', 'I5']);
    assert.deepEqual(brokenCitations(sources, readRepositoryDoc), []);
  });

  it('catches a missing file, a missing section and an undefined invariant', () => {
    const docs: Record<string, string> = { 'spec.md': '## 2. Key lifecycle\n\n- **I1**: one active key\n' };
    const cite = (rest: string): Source => ({ path: 'src/x.ts', text: `// see ${DOC}${rest}` });
    const problems = (source: Source) => brokenCitations([source], (name) => docs[name]);
    assert.deepEqual(problems(cite('spec.md §2, and I1')), []);
    assert.equal(problems(cite('spec.md §9')).length, 1);
    assert.equal(problems(cite('spec.md §2.1')).length, 1);
    assert.equal(problems(cite('gone.md §1')).length, 1);
    assert.equal(problems(cite('spec.md I1')).length, 0);
    assert.equal(problems(cite('spec.md I7')).length, 2);
    assert.equal(problems({ path: 'src/y.ts', text: '// keeps I6 true' }).length, 1);
  });
});
