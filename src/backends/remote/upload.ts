// Uploads into a remote workDir, keyed by content so that what is already there is never sent again: a dataset
// goes to datasets/<sha256>/<name> (a hit is its stamp file, when the copy's size and time are the stamp's, else
// sha256sum on the remote side), the trainer package to
// trainer/<hash of its files>/ (a hit is its manifest, written last, so a broken upload never counts).
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as posix from 'node:path/posix';
import type { RemoteExec } from './exec';
import type { RemoteFiles, RemoteStat } from './files';
import type { RemoteLayout } from './layout';

export interface Uploaded {
  remotePath: string;
  /** False when the same content was there already. */
  uploaded: boolean;
}

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('error', reject)
      .on('data', (b) => hash.update(b))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** The sha256 of a remote file (sha256sum, or shasum on macOS); undefined when it is not there. */
export async function remoteSha256(exec: RemoteExec, file: string): Promise<string | undefined> {
  // Read from stdin: sha256sum escapes names holding a newline or backslash in its output.
  const result = await exec.exec(['sh', '-c', '[ -f "$1" ] || exit 3; { sha256sum 2>/dev/null || shasum -a 256; } < "$1"', 'sh', file]);
  const m = /^([0-9a-f]{64})\s/.exec(result.stdout);
  return result.code === 0 && m ? m[1] : undefined;
}

/** A file name safe on any file system, keeping what the user would recognise. */
function safeName(file: string): string {
  return path.basename(file).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_').slice(0, 120) || 'data';
}

// A dataset's hash, kept while its size and modification time stay the same: a job started again on an unchanged
// 1 GB file does not read it all again here (the remote side still checks its copy).
const hashCache = new Map<string, { size: number; mtimeMs: number; hash: string }>();

/** Forgets the hashes kept (the benchmark measures an editor that has just started). */
export function forgetDatasetHashes(): void {
  hashCache.clear();
}

async function datasetHash(file: string): Promise<string> {
  const { size, mtimeMs } = await fs.stat(file);
  const cached = hashCache.get(file);
  if (cached && cached.size === size && cached.mtimeMs === mtimeMs) return cached.hash;
  const hash = await sha256File(file);
  hashCache.set(file, { size, mtimeMs, hash });
  return hash;
}

/** Uploads a dataset file unless a file with the same content is already in datasets/<sha256>/. */
export async function uploadDataset(exec: RemoteExec, files: RemoteFiles, layout: RemoteLayout, localFile: string): Promise<Uploaded> {
  const hash = await datasetHash(localFile);
  const dir = posix.join(layout.datasets, hash);
  const remotePath = posix.join(dir, safeName(localFile));
  const stamp = `${remotePath}.sha256`;
  const st = await files.stat(remotePath);
  if (st && !st.isDirectory) {
    // The stamp says which content the file had at this size and time; any other change is hashed there again.
    const recorded = (await files.readFrom(stamp, 0, 200))?.toString('utf8');
    if (recorded === stampText(hash, st)) return { remotePath, uploaded: false };
    if ((await remoteSha256(exec, remotePath)) === hash) {
      await files.writeFileAtomic(stamp, stampText(hash, st));
      return { remotePath, uploaded: false };
    }
  }
  await files.mkdirp(dir);
  await files.uploadFile(localFile, remotePath);
  const uploaded = await files.stat(remotePath);
  if (uploaded) await files.writeFileAtomic(stamp, stampText(hash, uploaded));
  return { remotePath, uploaded: true };
}

const stampText = (hash: string, st: RemoteStat) => `${hash} ${st.size} ${Math.floor(st.mtimeMs)}\n`;

/** Files of a folder (relative POSIX paths, sorted), without Python's caches. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.name === '__pycache__' || entry.name.endsWith('.pyc')) continue;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

export interface PackageUpload {
  /** Local folders to send, each as a folder of the same name under the upload (finetune_trainer/). */
  folders: string[];
  /** Single local files to send beside them (a stand-in trainer script). */
  files?: string[];
}

const MANIFEST = 'MANIFEST.sha256';

/**
 * Uploads the trainer's code into trainer/<hash>/, or nothing when that hash is complete there already. Returns
 * the folder to put on PYTHONPATH.
 */
export async function uploadPackage(files: RemoteFiles, layout: RemoteLayout, pkg: PackageUpload): Promise<Uploaded> {
  const entries: { local: string; rel: string }[] = [];
  for (const folder of pkg.folders) {
    for (const rel of await listFiles(folder)) entries.push({ local: path.join(folder, ...rel.split('/')), rel: `${path.basename(folder)}/${rel}` });
  }
  for (const file of pkg.files ?? []) entries.push({ local: file, rel: path.basename(file) });
  const lines = await Promise.all(entries.map(async (e) => `${await sha256File(e.local)}  ${e.rel}`));
  const manifest = lines.join('\n') + '\n';
  const hash = createHash('sha256').update(manifest).digest('hex');
  const root = posix.join(layout.trainer, hash.slice(0, 20));
  const there = await files.readFrom(posix.join(root, MANIFEST), 0, manifest.length + 1);
  if (there?.toString('utf8') === manifest) return { remotePath: root, uploaded: false };
  const dirs = [...new Set(entries.map((e) => posix.dirname(posix.join(root, e.rel))))].sort();
  for (const dir of dirs) await files.mkdirp(dir);
  // A few at a time: SFTP pipelines requests within one channel.
  const queue = [...entries];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let e = queue.shift(); e; e = queue.shift()) await files.uploadFile(e.local, posix.join(root, e.rel));
    }),
  );
  await files.writeFileAtomic(posix.join(root, MANIFEST), manifest);
  return { remotePath: root, uploaded: true };
}
