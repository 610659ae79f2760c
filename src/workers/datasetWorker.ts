// Worker thread that lints datasets and converts them. It keeps, per open document,
// the document's lines and an incremental linter, so an edit re-checks only the lines that changed.
import { parentPort } from 'node:worker_threads';
import { RpcPeer } from '../shared/rpc';
import { workerPort } from '../core/workerPort';
import { DatasetWorkerRequest, type LintRequestOptions } from '../shared/protocol/datasetWorker';
import { IncrementalLinter } from '../core/dataset/checks/incremental';
import { applyLineEdit } from '../core/documentLines';
import { convertToOpenAI } from '../core/dataset/formats/convert';
import type { LintResult, OverlapSource } from '../core/dataset/types';
import { DatasetLinter, lintJsonArrayText, splitLines } from '../core/dataset/checks/linter';
import { isJsonArrayText } from '../core/dataset/parsing/jsonArray';
import * as path from 'node:path';
import { readRegularFileSync } from '../core/regularFile';

if (!parentPort) throw new Error('datasetWorker must run in a worker thread');

const port = workerPort(parentPort);

interface OpenDocument {
  options: string;
  version: number;
  /** VS Code's lines: a final line break leaves an empty last line. */
  lines: string[];
  linter: IncrementalLinter;
}

const documents = new Map<string, OpenDocument>();
const evalKeys = new Map<string, { mtime: number; source: OverlapSource }>();

/** The eval file's sample keys, read once per modification, for the train/eval overlap check. */
function overlapWith(evalFile: LintRequestOptions['evalFile']): OverlapSource[] {
  if (!evalFile) return [];
  const cached = evalKeys.get(evalFile.path);
  if (cached?.mtime === evalFile.mtime) return [cached.source];
  let text: string;
  try {
    text = readRegularFileSync(evalFile.path);
  } catch {
    return [];
  }
  const linter = new DatasetLinter({ collectSampleKeys: true, split: 'eval' });
  splitLines(text).forEach((line, i) => linter.push(line, i));
  linter.finish();
  const source = { keys: linter.sampleKeys(), file: path.basename(evalFile.path) };
  evalKeys.set(evalFile.path, { mtime: evalFile.mtime, source });
  return [source];
}

function lintFull(uri: string, version: number, text: string, options: LintRequestOptions): LintResult {
  // VS Code decodes bytes that are not UTF-8 as U+FFFD, so that character means invalid UTF-8 here.
  const { evalFile, ...rest } = options;
  if (isJsonArrayText(text, options.fileName)) {
    // Records span lines: a JSON array is checked whole on every change (lintEdit answers stale for it).
    documents.delete(uri);
    return lintJsonArrayText(text, { ...rest, overlapWith: overlapWith(evalFile), replacementCharIsDecodeError: true }).result;
  }
  const linter = new IncrementalLinter({ ...rest, overlapWith: overlapWith(evalFile), replacementCharIsDecodeError: true });
  documents.set(uri, { options: JSON.stringify(options), version, lines: text.split(/\r\n|\r|\n/), linter });
  return linter.update(text);
}

function lintEdit(request: Extract<DatasetWorkerRequest, { type: 'edit' }>): LintResult | { stale: true } {
  const doc = documents.get(request.uri);
  if (!doc || doc.version !== request.baseVersion || doc.options !== JSON.stringify(request.options)) return { stale: true };
  const { docLines, linterEdit, finalNewline } = applyLineEdit(doc.lines, request);
  doc.lines = docLines;
  doc.version = request.version;
  return doc.linter.replaceLines(linterEdit.start, linterEdit.deleteCount, linterEdit.lines, finalNewline);
}

new RpcPeer<DatasetWorkerRequest, never>(port, DatasetWorkerRequest, (request) => {
  switch (request.type) {
    case 'lint':
      return lintFull(request.uri, request.version, request.text, request.options);
    case 'edit':
      return lintEdit(request);
    case 'forget':
      documents.delete(request.uri);
      return null;
    case 'convert':
      return convertToOpenAI(request.text, { locale: request.locale, fileName: request.fileName });
  }
});
