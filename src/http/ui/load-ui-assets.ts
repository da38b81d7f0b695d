import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

/** The dashboard's static files, read once into memory and named by one digest of them all. */
export interface UiAssets {
  /** SHA-256 (base64url, 16 characters) over every file: a new release gets new asset URLs. */
  digest: string;
  /** index.html with `%ASSETS%` and the tenant placeholders still in it. */
  indexTemplate: string;
  files: ReadonlyMap<string, { body: Buffer; contentType: string }>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The directory the dashboard's files ship in. */
export const UI_DIRECTORY = join(import.meta.dirname, '..', '..', 'ui');

/**
 * Reads the dashboard from `directory`. Only files of a known type are served, and requests look
 * them up by exact name in this map, so no request ever reaches the file system.
 */
export function loadUiAssets(directory: string = UI_DIRECTORY): UiAssets {
  const hash = createHash('sha256');
  const files = new Map<string, { body: Buffer; contentType: string }>();
  const names = (readdirSync(directory, { recursive: true, encoding: 'utf8' }) as string[])
    .map((name) => name.split('\\').join('/'))
    .sort();
  for (const name of names) {
    const contentType = CONTENT_TYPES[extname(name)];
    if (!contentType) continue;
    const body = readFileSync(join(directory, name));
    hash.update(name).update('\0').update(body).update('\0');
    files.set(name, { body, contentType });
  }
  const indexTemplate = readFileSync(join(directory, 'index.html'), 'utf8');
  hash.update(indexTemplate);
  return { digest: hash.digest('base64url').slice(0, 16), indexTemplate, files };
}
