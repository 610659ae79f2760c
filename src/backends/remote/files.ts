// Files where a remote run lives, as the remote backends need them: over SFTP (src/backends/ssh/connection.ts) or,
// on a Slurm login node the extension runs on, this machine's own files (LocalFiles). Paths are POSIX paths on
// that side.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { copyFileAtomic, writeFileAtomic } from '../../core/safeFiles';

export interface RemoteStat {
  size: number;
  isDirectory: boolean;
  mtimeMs: number;
}

export interface RemoteFiles {
  /** Undefined when nothing is there. */
  stat(remotePath: string): Promise<RemoteStat | undefined>;
  /** At most `maxBytes` from `offset` on (empty at the end); undefined when the file does not exist. */
  readFrom(remotePath: string, offset: number, maxBytes: number): Promise<Buffer | undefined>;
  /** Written whole or not at all (temp file, then rename). */
  writeFileAtomic(remotePath: string, data: Buffer | string): Promise<void>;
  /** Copies a file of this machine there, whole or not at all. */
  uploadFile(localPath: string, remotePath: string): Promise<void>;
  mkdirp(remotePath: string): Promise<void>;
}

/** RemoteFiles on this machine. */
export class LocalFiles implements RemoteFiles {
  async stat(file: string): Promise<RemoteStat | undefined> {
    const st = await fs.stat(file).catch(() => undefined);
    return st && { size: st.size, isDirectory: st.isDirectory(), mtimeMs: st.mtimeMs };
  }

  async readFrom(file: string, offset: number, maxBytes: number): Promise<Buffer | undefined> {
    let fh: fs.FileHandle;
    try {
      fh = await fs.open(file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      const { size } = await fh.stat();
      const length = Math.min(Math.max(0, size - offset), maxBytes);
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  writeFileAtomic(file: string, data: Buffer | string): Promise<void> {
    return writeFileAtomic(file, data);
  }

  uploadFile(localPath: string, file: string): Promise<void> {
    return path.resolve(localPath) === path.resolve(file) ? Promise.resolve() : copyFileAtomic(localPath, file);
  }

  async mkdirp(dir: string): Promise<void> {
    await fs.mkdir(dir, { recursive: true });
  }
}

/** How much of a log's end `tailLines` reads: enough for its lines, however long the log. */
const TAIL_BYTES = 64 * 1024;

/** The last `lines` non-blank lines of a file there (from its last 64 KiB); empty when it cannot be read. */
export async function tailLines(host: Pick<RemoteFiles, 'stat' | 'readFrom'>, file: string, lines: number): Promise<string> {
  try {
    const size = (await host.stat(file))?.size ?? 0;
    const bytes = (await host.readFrom(file, Math.max(0, size - TAIL_BYTES), TAIL_BYTES)) ?? Buffer.alloc(0);
    return bytes.toString('utf8').split(/\r?\n/).filter((l) => l.trim()).slice(-lines).join('\n');
  } catch {
    return '';
  }
}
