// Worker thread for `finetune-studio lint` on a big JSONL file: reads, splits, decodes and checks the chunks
// of the file it is asked for (each line on its own: lintLine), and sends their results back packed. The CLI's
// thread puts the chunks in order and runs the checks across lines (src/cli/lintInWorkers.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { lineContext } from '../core/dataset/checks/linter';
import { lintLine } from '../core/dataset/checks/lineLinter';
import { readChunkLines } from '../core/dataset/parallel/chunkLines';
import { LinePacker, type LintChunkReply, type LintChunksWorkerData } from '../core/dataset/parallel/packedLines';

if (!parentPort) throw new Error('lintLinesWorker must run in a worker thread');
const port = parentPort;
const { fd, fileSize, chunkBytes, options } = workerData as LintChunksWorkerData;
const ctx = lineContext(options);
const packer = new LinePacker();

port.on('message', (chunk: number) => {
  let reply: LintChunkReply;
  try {
    const { finalNewline } = readChunkLines(fd, chunk, chunkBytes, fileSize, (text, _line, decode) => packer.add(lintLine(text, ctx, decode)));
    const { packed, transfer } = packer.take();
    reply = { chunk, lines: packed, ...(finalNewline === undefined ? {} : { finalNewline }) };
    port.postMessage(reply, transfer);
  } catch (e) {
    packer.take();
    reply = { chunk, error: e instanceof Error ? e.message : String(e) };
    port.postMessage(reply);
  }
});
