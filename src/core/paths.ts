import * as path from 'node:path';

/**
 * A path as records and specs store it: relative to `root` with forward slashes when the file is inside it, else
 * absolute (so a workspace moved or cloned elsewhere keeps its references).
 */
export function relativeToFolder(root: string, file: string): string {
  const rel = path.relative(root, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}

/**
 * The stem of a new record id: `name` as an ASCII slug (at most 40 characters, `fallback` when nothing is left)
 * plus the UTC time to the second, e.g. `my-run-20261207-105730`. Callers add `-1`, `-2`… while the id is taken.
 */
export function slugStamp(name: string, now: Date, fallback: string): string {
  const slug = name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || fallback;
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${slug}-${stamp}`;
}
