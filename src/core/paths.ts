import * as path from 'node:path';

/**
 * A path as records and specs store it: relative to `root` with forward slashes when the file is inside it, else
 * absolute (so a workspace moved or cloned elsewhere keeps its references).
 */
export function relativeToFolder(root: string, file: string): string {
  const rel = path.relative(root, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}
