// Worker thread that lints datasets off the extension host's main thread. It keeps, per open document,
// the document's lines and an incremental linter, so an edit re-checks only the lines that changed.
import { parentPort } from 'node:worker_threads';
import { RpcPeer, type Port } from '../shared/rpc';
import { DatasetWorkerRequest, type LintRequestOptions } from '../shared/protocol/datasetWorker';
import { IncrementalLinter } from '../core/dataset/incremental';
import { applyLineEdit } from '../core/documentLines';
import { convertToOpenAI } from '../core/dataset/convert';
import type { LintResult } from '../core/dataset/types';

if (!parentPort) throw new Error('datasetWorker must run in a worker thread');
const parent = parentPort;

const port: Port = {
  post: (m) => parent.postMessage(m),
  listen: (cb) => {
    parent.on('message', cb);
    return { dispose: () => parent.off('message', cb) };
  },
};

interface OpenDocument {
  options: string;
  version: number;
  /** VS Code's lines: a final line break leaves an empty last line. */
  lines: string[];
  linter: IncrementalLinter;
}

const documents = new Map<string, OpenDocument>();

function lintFull(uri: string, version: number, text: string, options: LintRequestOptions): LintResult {
  // VS Code decodes bytes that are not UTF-8 as U+FFFD, so that character means invalid UTF-8 here.
  const linter = new IncrementalLinter({ ...options, replacementCharIsDecodeError: true });
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
