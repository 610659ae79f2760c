// Writing under a workspace's `.finetune/` safely. Nothing there is trusted: a cloned repository can commit
// symbolic links (`follower.json → ~/notes.txt`, `.finetune/jobs → ~`) and records naming paths anywhere. So every
// write here refuses a link anywhere from the folder that holds `.finetune` down to the file, never opens the file
// itself through a link (O_NOFOLLOW, or a fresh temp file renamed over it), and paths taken from records are
// checked to stay inside their own folder.
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { readRegularFile } from './regularFile';

/** Why a path was refused: a link on the way, outside its folder, or not a plain (singly linked) file. */
export type UnsafeKind = 'link' | 'outside' | 'not-file';

const REASONS: Record<UnsafeKind, string> = {
  link: 'refusing to write through a symbolic link',
  outside: 'outside its folder',
  'not-file': 'not a plain file (a FIFO, device, folder or hard link)',
};

/** Whether anything (a link included, even a dangling one) is at `p`. */
export async function pathExists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}

/** Whether `p` is (or links to) a regular file. */
export async function isFile(p: string): Promise<boolean> {
  return fs.stat(p).then((s) => s.isFile(), () => false);
}

/** Whether `p` is (or links to) a folder. */
export async function isDirectory(p: string): Promise<boolean> {
  return fs.stat(p).then((s) => s.isDirectory(), () => false);
}

/** A write refused because the path goes through a link or leaves its folder. */
export class UnsafePath extends Error {
  constructor(readonly path: string, readonly kind: UnsafeKind, detail?: string) {
    super(`${detail ?? REASONS[kind]}: ${path}`);
    this.name = 'UnsafePath';
  }
}

const FINETUNE_DIR = '.finetune';

/** True when `child` is `parent` or lies inside it, comparing the paths as written (after normalising). */
function isInside(parent: string, child: string): boolean {
  const rel = path.relative(path.resolve(parent), path.resolve(child));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Throws UnsafePath when `child` is not inside `parent`, as written or once links are resolved (`parent` must
 * exist; `child` need not).
 */
export async function assertInside(parent: string, child: string, what: string): Promise<void> {
  if (!isInside(parent, child)) throw new UnsafePath(child, 'outside', `${what} is outside ${parent}`);
  await assertNoLinks(child, parent);
}

/**
 * Throws UnsafePath when any existing component of `target` below `root` is a symbolic link (the target itself
 * included). `root` defaults to the folder that holds `.finetune` when the path has one, else the target's folder.
 */
export async function assertNoLinks(target: string, root = guardRoot(target)): Promise<void> {
  const resolved = path.resolve(target);
  const base = path.resolve(root);
  if (!isInside(base, resolved)) throw new UnsafePath(resolved, 'outside', `not inside ${base}`);
  let current = base;
  for (const part of path.relative(base, resolved).split(path.sep).filter(Boolean)) {
    current = path.join(current, part);
    let stat;
    try {
      stat = await fs.lstat(current);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // the rest is yet to be created
      throw err;
    }
    if (stat.isSymbolicLink()) throw new UnsafePath(current, 'link');
  }
}

/** The folder holding the nearest `.finetune` above `target`, or the target's own folder when there is none. */
function guardRoot(target: string): string {
  const parts = path.resolve(target).split(path.sep);
  const at = parts.lastIndexOf(FINETUNE_DIR);
  return at > 0 ? parts.slice(0, at).join(path.sep) || path.sep : path.dirname(path.resolve(target));
}

/** mkdir -p that refuses to create (or pass) anything through a link. */
export async function mkdirNoFollow(dir: string, root?: string): Promise<void> {
  await assertNoLinks(dir, root);
  await fs.mkdir(dir, { recursive: true });
  await assertNoLinks(dir, root); // a link raced in between is still caught before anything is written
}

/** Writes `file` through a fresh temp file beside it and a rename, so a reader never sees half of it and a link
 * at `file` is replaced, never followed. */
export function writeFileAtomic(file: string, content: string | Uint8Array, root?: string): Promise<void> {
  // 'wx' is O_CREAT|O_EXCL: it fails rather than follow a link planted at the temp name.
  return replaceAtomically(file, (temp) => fs.writeFile(temp, content, { flag: 'wx' }), root);
}

/** Copies `source` over `target` the same way: through a fresh temp file beside it and a rename. */
export function copyFileAtomic(source: string, target: string, root?: string): Promise<void> {
  return replaceAtomically(target, (temp) => fs.copyFile(source, temp, constants.COPYFILE_EXCL), root);
}

async function replaceAtomically(file: string, writeTemp: (temp: string) => Promise<void>, root?: string): Promise<void> {
  await mkdirNoFollow(path.dirname(file), root ?? guardRoot(file));
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeTemp(temp);
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}

/** Opens `file` for appending (created when missing), never through a link; refuses anything but a plain file. */
export async function openAppendNoFollow(file: string, root?: string): Promise<fs.FileHandle> {
  await mkdirNoFollow(path.dirname(file), root ?? guardRoot(file));
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new UnsafePath(file, 'link');
    throw err;
  }
  const stat = await handle.stat();
  // A hard link would let the write land in a file elsewhere; a FIFO or device is no place for records.
  if (!stat.isFile() || stat.nlink > 1) {
    await handle.close();
    throw new UnsafePath(file, 'not-file');
  }
  return handle;
}

/** Appends `data` to `file` (see openAppendNoFollow). */
export async function appendNoFollow(file: string, data: string | Uint8Array, root?: string): Promise<void> {
  const handle = await openAppendNoFollow(file, root);
  try {
    await handle.appendFile(data);
  } finally {
    await handle.close();
  }
}

/** Removes `file` (a link is removed itself, never its target); missing is fine. */
export async function removeNoFollow(file: string, root?: string): Promise<void> {
  await assertNoLinks(path.dirname(file), root ?? guardRoot(file));
  await fs.rm(file, { force: true });
}

/** The most a record file (job.json, eval.json, scores.json, ...) may hold before it is refused unread. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/**
 * Reads a record file under `.finetune/` as UTF-8: never through a link (a repository may link `job.json` to
 * `/dev/zero`), only a regular file (never waiting on a FIFO), at most `maxBytes`. A missing file rejects with
 * ENOENT as fs.readFile does.
 */
export function readRecordFile(file: string, maxBytes = MAX_RECORD_BYTES): Promise<string> {
  return readRegularFile(file, { noFollow: true, maxBytes });
}
