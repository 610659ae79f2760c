// notDatasetKind for a file on disk: its name, then its first line, read from the start of the file only (a
// dataset can be gigabytes). Used by `lint` and by the Start Job form's dataset list.
import * as path from 'node:path';
import { openRegularFile } from '../../regularFile';
import { firstLineOf, notDatasetByKeys, notDatasetByName, type NotDatasetKind } from './notDataset';

/** Bytes read from the start of a file for its first line (a longer first line is a dataset's). */
const HEAD_BYTES = 1 << 20;

/** What the file is when it is not a dataset; undefined for a dataset, and for a file that cannot be read (checking it says why). */
export async function notDatasetFile(file: string): Promise<NotDatasetKind | undefined> {
  return notDatasetByName(path.basename(file)) ?? notDatasetByKeys(await firstLineOfFile(file));
}

/** The first non-blank line within the file's first HEAD_BYTES, when it ends there (or the file does); else ''. */
async function firstLineOfFile(file: string): Promise<string> {
  let handle;
  try {
    handle = await openRegularFile(file);
  } catch {
    return '';
  }
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    const whole = bytesRead < HEAD_BYTES;
    const head = buffer.subarray(0, whole ? bytesRead : buffer.lastIndexOf(0x0a) + 1).toString('utf8');
    return firstLineOf(head.replace(/^\uFEFF/, ''));
  } catch {
    return '';
  } finally {
    await handle.close();
  }
}
