#!/usr/bin/env node
// SSH backend benchmark (issue 12, "Performance"), against a private sshd on 127.0.0.1 (scripts/lib/sshd.mjs), with
// the product's SSH code (src/backends/ssh, bundled as the extension bundles it). Side by side in one run:
//  1. Event latency: this process appends one event line every 20 ms to an events file; a reader takes what the file
//     grew by, from its offset, as fast as it can: over SFTP (SshSession.readFrom) and from the local file
//     (LocalFiles.readFrom, what the local backend does). Latency = line written → line read; p50 and p95. (The Jobs
//     view polls every 500 ms on top of this, for both.)
//  2. Catching up N events after a reconnect: the whole events file read from offset 0 in the follower's 8 MB
//     chunks, over SFTP against the local file.
//  3. Uploading an unchanged dataset of --mb MB (a hash hit: its stamp there matches; "cold" includes hashing the
//     file here, as the first start after the editor starts does) against a plain SFTP copy of it.
//
//   node bench/ssh.bench.mjs [--events 100000] [--latency-lines 200] [--mb 1024] [--rounds 3] [--markdown]
import { mkdtempSync, rmSync, writeFileSync, appendFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import * as esbuild from 'esbuild';
import { flag, machineLine, median, numberOption, root } from './lib/nodeBench.mjs';
import { installExitHandlers, exitAfterCleanup } from '../scripts/lib/proc.mjs';
import { startSshd } from '../scripts/lib/sshd.mjs';

installExitHandlers();
const EVENTS = numberOption('--events', 100_000);
const LATENCY_LINES = numberOption('--latency-lines', 200);
const MB = numberOption('--mb', 1024);
const ROUNDS = numberOption('--rounds', 3);
const MARKDOWN = flag('--markdown');
const load0 = loadavg()[0];

const dir = mkdtempSync(join(tmpdir(), 'ssh-bench-'));
const bundle = join(dir, 'ssh.cjs');
await esbuild.build({
  stdin: {
    resolveDir: root,
    loader: 'ts',
    contents: `export { SshSession } from './src/backends/ssh/session';
      export { LocalFiles } from './src/backends/remote/files';
      export { remoteLayout } from './src/backends/remote/layout';
      export { forgetDatasetHashes, uploadDataset } from './src/backends/remote/upload';`,
  },
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, logLevel: 'warning',
  external: ['cpu-features', '*.node'], // as esbuild.mjs: ssh2 falls back to its JavaScript crypto
});
const { SshSession, LocalFiles, remoteLayout, uploadDataset, forgetDatasetHashes } = createRequire(import.meta.url)(bundle);

const sshd = await startSshd();
const { readFileSync } = await import('node:fs');
const [type, key] = readFileSync(sshd.env.FT_SSHD_HOST_PUB, 'utf8').trim().split(/\s+/);
const knownHostsFile = join(dir, 'known_hosts');
writeFileSync(knownHostsFile, `[127.0.0.1]:${sshd.port} ${type} ${key}\n`);
const session = new SshSession({ host: '127.0.0.1', port: sshd.port, username: sshd.env.FT_SSHD_USER, identityFile: sshd.env.FT_SSHD_KEY, knownHostsFile });
await session.connection();
const local = new LocalFiles();
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const event = (i, extra = {}) => JSON.stringify({ type: 'step', time: 1.7e9 + i, step: i, total_steps: EVENTS, epoch: i / EVENTS, loss: 1 / i, learning_rate: 1e-4, ...extra });

/** 1. Latency: lines appended every 20 ms, read back by `files` as fast as it can. */
async function latency(files, file) {
  writeFileSync(file, '');
  const latencies = [];
  let offset = 0;
  let written = 0;
  const timer = setInterval(() => {
    if (written < LATENCY_LINES) appendFileSync(file, event(++written, { t: performance.now() }) + '\n');
  }, 20);
  while (latencies.length < LATENCY_LINES) {
    const bytes = await files.readFrom(file, offset, 8 * 1024 * 1024);
    const end = bytes ? bytes.lastIndexOf(0x0a) + 1 : 0;
    if (end === 0) continue;
    const now = performance.now();
    for (const line of bytes.subarray(0, end).toString('utf8').split('\n').slice(0, -1)) latencies.push(now - JSON.parse(line).t);
    offset += end;
  }
  clearInterval(timer);
  return latencies;
}

/** 2. Catch-up: the whole file from offset 0 in 8 MB chunks. */
async function catchUp(files, file) {
  const t = performance.now();
  let offset = 0;
  for (;;) {
    const bytes = await files.readFrom(file, offset, 8 * 1024 * 1024);
    if (!bytes || bytes.length === 0) break;
    offset += bytes.length;
  }
  return { ms: performance.now() - t, bytes: offset };
}

const results = {};
const lat = { ssh: [], local: [] };
for (let r = 0; r < ROUNDS; r++) {
  lat.local.push(...(await latency(local, join(dir, `lat-local-${r}.jsonl`))));
  lat.ssh.push(...(await latency(session, join(dir, `lat-ssh-${r}.jsonl`))));
}
results.latency = Object.fromEntries(Object.entries(lat).map(([k, xs]) => [k, { p50: pct(xs, 50), p95: pct(xs, 95) }]));

const eventsFile = join(dir, 'events.jsonl');
const fd = openSync(eventsFile, 'w');
for (let i = 1; i <= EVENTS; i += 1000) writeSync(fd, Array.from({ length: Math.min(1000, EVENTS - i + 1) }, (_, k) => event(i + k)).join('\n') + '\n');
closeSync(fd);
const catchUps = { ssh: [], local: [] };
let eventBytes = 0;
for (let r = 0; r < ROUNDS; r++) {
  catchUps.local.push((await catchUp(local, eventsFile)).ms);
  const ssh = await catchUp(session, eventsFile);
  catchUps.ssh.push(ssh.ms);
  eventBytes = ssh.bytes;
}
results.catchUp = { ssh: median(catchUps.ssh), local: median(catchUps.local), bytes: eventBytes };

const data = join(dir, 'dataset.jsonl');
const dfd = openSync(data, 'w');
const block = randomBytes(8 * 1024 * 1024);
for (let written = 0; written < MB * 1024 * 1024; written += block.length) writeSync(dfd, block);
closeSync(dfd);
const layout = remoteLayout(join(dir, 'work'));
const first = performance.now();
const up = await uploadDataset(session, session, layout, data); // the plain copy (nothing there yet), then hits
const copyMs = performance.now() - first;
const hits = [];
const coldHits = [];
for (let r = 0; r < ROUNDS; r++) {
  for (const [list, cold] of [[coldHits, true], [hits, false]]) {
    if (cold) forgetDatasetHashes(); // a new editor session: the file is hashed here once
    const t = performance.now();
    const again = await uploadDataset(session, session, layout, data);
    if (again.uploaded) throw new Error('the upload of the unchanged file was not a hash hit');
    list.push(performance.now() - t);
  }
}
results.upload = { mb: MB, copyMs, hitMs: median(hits), coldHitMs: median(coldHits), uploaded: up.uploaded };

const f = (x) => `${x.toFixed(1)} ms`;
const lines = [
  machineLine(load0),
  `latency (${LATENCY_LINES} lines × ${ROUNDS}): ssh p50 ${f(results.latency.ssh.p50)} p95 ${f(results.latency.ssh.p95)}; local p50 ${f(results.latency.local.p50)} p95 ${f(results.latency.local.p95)}`,
  `catch-up ${EVENTS} events (${(eventBytes / 1e6).toFixed(1)} MB): ssh ${f(results.catchUp.ssh)}, local ${f(results.catchUp.local)} (ratio ${(results.catchUp.ssh / results.catchUp.local).toFixed(1)}×)`,
  `unchanged ${MB} MB dataset: hash hit ${f(results.upload.hitMs)} (${f(results.upload.coldHitMs)} with the file hashed here first) vs plain SFTP copy ${f(results.upload.copyMs)} (ratio ${(results.upload.coldHitMs / results.upload.copyMs).toFixed(2)} cold)`,
];
if (MARKDOWN) {
  console.log('| date | ssh latency p50 / p95 | local p50 / p95 | catch-up ssh / local | unchanged upload: hit (cold) / copy |');
  console.log('|---|---:|---:|---:|---:|');
  console.log(`| ${new Date().toISOString().slice(0, 10)} | ${f(results.latency.ssh.p50)} / ${f(results.latency.ssh.p95)} | ${f(results.latency.local.p50)} / ${f(results.latency.local.p95)} | ${f(results.catchUp.ssh)} / ${f(results.catchUp.local)} | ${f(results.upload.hitMs)} (${f(results.upload.coldHitMs)}) / ${f(results.upload.copyMs)} (${MB} MB) |`);
}
for (const line of lines) console.log(line);
session.close();
rmSync(dir, { recursive: true, force: true });
await exitAfterCleanup(0);
