// `finetune-studio job logs <id> [--tail N]`: the trainer's own log (stdout and stderr) of a job's run, all of it
// or its last N lines, from wherever the run is (a remote log is fetched first).
import { StringDecoder } from 'node:string_decoder';
import { openRegularFile, readErrorReason } from '../../core/regularFile';
import type { JobCommandContext } from './context';
import { jobCliMessage } from './messages';
import type { RunningJob } from './runningJob';

const CHUNK = 64 * 1024;

export async function logsCommand(ctx: JobCommandContext, run: RunningJob, tail: number | undefined): Promise<number> {
  const { io, locale } = ctx;
  if (tail !== undefined) {
    const text = await run.backend.logTail(run.handle, tail);
    if (text) io.stdout(text.endsWith('\n') ? text : text + '\n');
    return 0;
  }
  const file = await run.backend.fetchArtifact(run.handle, 'log');
  if (!file) {
    io.stderr(`finetune-studio job logs: ${jobCliMessage(locale, 'logs.none', { id: run.record.id })}\n`);
    return 1;
  }
  let handle;
  try {
    handle = await openRegularFile(file, { noFollow: true });
  } catch (err) {
    io.stderr(`finetune-studio job logs: ${jobCliMessage(locale, 'file.unreadable', { file, reason: readErrorReason(err, locale) })}\n`);
    return 1;
  }
  try {
    // Streamed in chunks: a log of any size, never held whole.
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.alloc(CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      io.stdout(decoder.write(buffer.subarray(0, bytesRead)));
    }
    const rest = decoder.end();
    if (rest) io.stdout(rest);
  } finally {
    await handle.close();
  }
  return 0;
}
