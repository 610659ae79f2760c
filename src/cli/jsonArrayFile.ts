// Reads a `.json` dataset that is a JSON array (LLaMA-Factory's usual files) whole: records span lines, so it cannot
// be streamed line by line as JSONL is. Used by `lint`, `stats` and `lint --tokenizer`.
import { openRegularFile } from '../core/regularFile';
import { isJsonArrayText } from '../core/dataset/parsing/jsonArray';

/** Bytes looked at to tell an array from JSONL (whitespace before the '[' beyond this is not expected). */
const HEAD_BYTES = 64 * 1024;

/**
 * Arrays larger than this are read line by line as before: a JavaScript string holds at most about 512 MiB of
 * UTF-16, and no one pretty-prints a dataset that size.
 */
export const MAX_ARRAY_BYTES = 256 * 1024 * 1024;

export interface JsonArrayFile {
  text: string;
  /** Bytes that were not UTF-8 became U+FFFD. */
  invalidUtf8: boolean;
}

/** The file's text when it is a `.json` file holding an array (see isJsonArrayText), else undefined. */
export async function readJsonArrayFile(abs: string): Promise<JsonArrayFile | undefined> {
  if (!/\.json$/i.test(abs)) return undefined;
  const handle = await openRegularFile(abs);
  try {
    const { size } = await handle.stat();
    if (size > MAX_ARRAY_BYTES) return undefined;
    const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
    await handle.read(head, 0, head.length, 0);
    if (!isJsonArrayText(head.toString('utf8'), abs)) return undefined;
    const bytes = await handle.readFile();
    try {
      return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), invalidUtf8: false };
    } catch {
      return { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), invalidUtf8: true };
    }
  } finally {
    await handle.close();
  }
}
