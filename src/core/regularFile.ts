// Opens the files that the CLI and the editor read (datasets, dataset_info.json, training logs, predictions)
// without ever blocking: a named pipe (FIFO) opened for reading waits for a writer forever, and a device such as
// /dev/zero never ends. The file is opened with O_NONBLOCK (a FIFO then opens at once) and refused unless the
// descriptor is a regular file, so nothing can swap the file between a check and the open.
import { closeSync, constants, fstatSync, openSync, promises as fs, readFileSync, statSync, type Stats } from 'node:fs';
import type { Locale } from './dataset/types';

export type FileKind = 'folder' | 'fifo' | 'socket' | 'characterDevice' | 'blockDevice' | 'other';

const KIND_TEXT: Record<Locale, Record<FileKind, string>> = {
  en: {
    folder: 'it is a folder, not a regular file',
    fifo: 'it is a named pipe (FIFO), not a regular file',
    socket: 'it is a socket, not a regular file',
    characterDevice: 'it is a character device, not a regular file',
    blockDevice: 'it is a block device, not a regular file',
    other: 'it is not a regular file',
  },
  'zh-cn': {
    folder: '这是一个文件夹，不是普通文件',
    fifo: '这是一个命名管道（FIFO），不是普通文件',
    socket: '这是一个套接字，不是普通文件',
    characterDevice: '这是一个字符设备，不是普通文件',
    blockDevice: '这是一个块设备，不是普通文件',
    other: '这不是普通文件',
  },
};

/** A file that is not a regular file; `message` is the English reason, `localized()` the reason in a locale. */
export class NotRegularFileError extends Error {
  readonly code = 'ENOTREG';
  constructor(readonly file: string, readonly kind: FileKind) {
    super(KIND_TEXT.en[kind]);
    this.name = 'NotRegularFileError';
  }

  localized(locale: Locale): string {
    return KIND_TEXT[locale][this.kind];
  }
}

/** The reason an error says a file cannot be read, in `locale` where the error is ours. */
export function readErrorReason(err: unknown, locale: Locale): string {
  if (err instanceof NotRegularFileError) return err.localized(locale);
  return err instanceof Error ? err.message : String(err);
}

function kindOf(stat: Stats): FileKind {
  if (stat.isDirectory()) return 'folder';
  if (stat.isFIFO()) return 'fifo';
  if (stat.isSocket()) return 'socket';
  if (stat.isCharacterDevice()) return 'characterDevice';
  if (stat.isBlockDevice()) return 'blockDevice';
  return 'other';
}

// O_NONBLOCK is undefined on Windows, where there are no FIFOs to open this way.
const FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Opening a Unix socket fails with ENXIO: say what it is instead. */
function openError(file: string, err: unknown): unknown {
  if ((err as NodeJS.ErrnoException).code !== 'ENXIO') return err;
  try {
    const stat = statSync(file);
    return stat.isFile() ? err : new NotRegularFileError(file, kindOf(stat));
  } catch {
    return err;
  }
}

/** A link met where `noFollow` was asked for (a record under `.finetune/` is never read through one). */
export class LinkRefused extends Error {
  readonly code = 'ELOOP';
  constructor(readonly file: string) {
    super(`${file} is a symbolic link: not read`);
    this.name = 'LinkRefused';
  }
}

export interface ReadOptions {
  /** Refuse a symbolic link at `file` itself (O_NOFOLLOW) instead of following it. */
  noFollow?: boolean;
  /** Refuse, unread, a file larger than this. */
  maxBytes?: number;
}

/**
 * Opens `file` for reading; throws NotRegularFileError for anything but a regular file (links are followed unless
 * `noFollow`).
 */
export async function openRegularFile(file: string, options: ReadOptions = {}): Promise<fs.FileHandle> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, FLAGS | (options.noFollow ? constants.O_NOFOLLOW : 0));
  } catch (err) {
    if (options.noFollow && (err as NodeJS.ErrnoException).code === 'ELOOP') throw new LinkRefused(file);
    throw openError(file, err);
  }
  const stat = await handle.stat().catch(async (err: unknown) => {
    await handle.close();
    throw err;
  });
  if (!stat.isFile()) {
    await handle.close();
    throw new NotRegularFileError(file, kindOf(stat));
  }
  return handle;
}

/** The text of a regular file, decoded as UTF-8. */
export async function readRegularFile(file: string, options: ReadOptions = {}): Promise<string> {
  const handle = await openRegularFile(file, options);
  try {
    if (options.maxBytes !== undefined) {
      const { size } = await handle.stat();
      if (size > options.maxBytes) throw new Error(`${file} holds ${size} bytes, more than the ${options.maxBytes} expected of it: not read`);
    }
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** As openRegularFile, synchronously: a file descriptor the caller closes. */
export function openRegularFileSync(file: string): number {
  let fd: number;
  try {
    fd = openSync(file, FLAGS);
  } catch (err) {
    throw openError(file, err);
  }
  let stat: Stats;
  try {
    stat = fstatSync(fd);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  if (!stat.isFile()) {
    closeSync(fd);
    throw new NotRegularFileError(file, kindOf(stat));
  }
  return fd;
}

/** As readRegularFile, synchronously. */
export function readRegularFileSync(file: string): string {
  const fd = openRegularFileSync(file);
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
