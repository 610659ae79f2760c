// Serving a model on a backend (this machine, an SSH host, a Slurm cluster): the probe and the deploy check first,
// then the server (vLLM or the trainer's `serve`) started in `<workDir>/deployments/<id>/`, detached like a training
// run (its own process group, the run token in its environment, its log there) or as a Slurm job (slurmServe.ts),
// health-checked on /v1/models until it answers, and reached from this machine's 127.0.0.1 (directly on this
// machine; through an SSH tunnel otherwise, to a Slurm node through the login node). Stopping ends its process
// group (only a group carrying the run's token) or scancels its job, and closes the tunnel.
import * as net from 'node:net';
import * as posix from 'node:path/posix';
import type { Duplex } from 'node:stream';
import type { SlurmDefaults } from '../../shared/backendConfig';
import type { RunState } from '../backend';
import type { Locale } from '../../core/dataset/types';
import { adapterFacts, deployCheck, type DeployPlan } from '../../core/models/deployCheck';
import { deployMessage } from '../../core/models/deployMessages';
import { tokenFor } from '../local/runToken';
import { cancelRemoteRun, launchDetached, remoteRunState } from '../remote/detached';
import { RemoteRuns, type RemoteHost, type RemoteTrainer } from '../remote/remoteRuns';
import { lastLines } from '../processOutput';
import { runFile } from '../remote/layout';
import { tailLines } from '../remote/files';
import { probeBackend, type ProbeResult } from './probe';
import { SlurmCluster } from '../slurm/slurmCluster';
import { ENDPOINT_FILE, JOB_ID_FILE, parseEndpointFile, slurmServeScript } from './slurmServe';
import { serverArgv, tokenWriteArgv } from './serverCommand';
import { openTunnel, type Tunnel } from './tunnel';

export interface DeployTarget {
  /** 'local' (this machine, no tunnel), an SSH host, or a Slurm cluster (its login node: `host`). */
  kind: 'local' | 'ssh' | 'slurm';
  /** A Slurm cluster's job resources. */
  slurm?: SlurmDefaults;
  /** 'local', or the `finetune.backends` name. */
  name: string;
  host: RemoteHost & { forwardOut?(host: string, port: number): Promise<Duplex> };
  python: string;
  setup: readonly string[];
  /** Absolute, or ~/… (the login's home). */
  workDir: string;
  trainer: RemoteTrainer;
  /** This machine's run secret: the server's processes carry a token derived from it. */
  runSecret: string;
}

export interface DeployRequest {
  /** The registry record's id (the deployment's folder name). */
  id: string;
  /** The base or merged model on the backend (a folder there, or a hub id). */
  model: string;
  adapter?: string;
  servedModel: string;
  /** The chat template hash the job trained with, when recorded. */
  trainedTemplateSha256?: string;
}

export interface Planned {
  plan: DeployPlan;
  probe: ProbeResult;
}

export interface Running {
  /** The deployment's folder on the backend, and its process group or Slurm job. */
  runDir: string;
  pid?: number;
  slurmJobId?: string;
  /** Where the server listens: 127.0.0.1 of the backend, or a Slurm node's name. */
  remoteHost: string;
  remotePort: number;
  /** http://127.0.0.1:PORT/v1 on this machine. */
  endpoint: string;
  tunnel?: Tunnel;
}

export class DeployFailed extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DEFAULT_READY_MS = 10 * 60_000;

function connectTcp(host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host, () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

export class Deployer {
  private readonly runs: RemoteRuns;

  constructor(readonly target: DeployTarget, private readonly locale: Locale = 'en') {
    this.runs = new RemoteRuns({
      kind: 'ssh', name: target.name, config: { python: target.python, setup: target.setup, workDir: target.workDir },
      host: target.host, trainer: target.trainer, cacheDir: '',
    });
  }

  /** The probe on the backend, and the deploy check on what it found. */
  async plan(request: DeployRequest): Promise<Planned> {
    const probe = await probeBackend(this.target.host, this.target.python, this.target.setup, request.model, request.adapter);
    // The login node's GPUs say nothing of the node Slurm will pick.
    if (this.target.kind === 'slurm') {
      delete probe.facts.gpus;
      probe.facts.slurm = true;
    }
    const plan = deployCheck({
      backend: probe.facts,
      ...(request.adapter ? { adapter: adapterFacts(probe.adapterConfig) } : {}),
      ...(request.trainedTemplateSha256 ? { trainedTemplateSha256: request.trainedTemplateSha256 } : {}),
    }, this.locale);
    return { plan, probe };
  }

  /** `<workDir>/deployments/<id>`, refusing ids that are not one plain name. */
  async runDir(id: string): Promise<string> {
    if (!/^[A-Za-z0-9._-]+$/.test(id) || /^\.+$/.test(id)) throw new DeployFailed(`not a deployment id: ${id}`);
    return posix.join((await this.runs.layout()).workDir, 'deployments', id);
  }

  /**
   * Starts the planned server with `token` and waits until /v1/models answers through the tunnel (or fails with
   * the log's tail, the server stopped). `readyTimeoutMs`: model loading may take minutes on a big model.
   */
  async start(request: DeployRequest, planned: Planned, token: string, options: { readyTimeoutMs?: number; localPort?: number } = {}): Promise<Running> {
    const runDir = await this.runDir(request.id);
    const host = this.target.host;
    await host.mkdirp(runDir);
    const tokenFile = posix.join(runDir, 'token');
    const wrote = await host.exec(tokenWriteArgv(tokenFile), { stdin: token + '\n' });
    if (wrote.code !== 0) throw new DeployFailed(`cannot write the token file ${tokenFile}: ${lastLines(wrote.stderr) || `exit ${wrote.code}`}`);
    const remotePort = planned.probe.freePort;
    let tunnel: Tunnel | undefined;
    try {
      const trainer = planned.plan.server === 'trainer' ? await this.runs.trainerDir() : undefined;
      const spec = {
        server: planned.plan.server, python: this.target.python, model: request.model, ...(request.adapter ? { adapter: request.adapter } : {}),
        servedModel: request.servedModel,
        ...(planned.plan.maxLoraRank ? { maxLoraRank: planned.plan.maxLoraRank } : {}),
        ...(trainer ? { trainer: { dir: trainer, entryArgs: this.runs.entryArgs(trainer) } } : {}),
      };
      let started: { pid?: number; slurmJobId?: string; host: string; port: number };
      if (this.target.kind === 'slurm') {
        const slurmJobId = await this.submit(runDir, request, { ...spec, tokenFile });
        // Waits for the job to write its node and port (it may be pending first); fails when the job ends first.
        const endpoint = await this.pollUntil(runDir, { timeoutMs: options.readyTimeoutMs ?? DEFAULT_READY_MS, port: '?', stateEvery: 1, slurmJobId }, async () => {
          const bytes = await host.readFrom(posix.join(runDir, ENDPOINT_FILE), 0, 1024);
          return bytes ? parseEndpointFile(bytes.toString('utf8')) : undefined;
        });
        started = { slurmJobId, ...endpoint };
      } else {
        const argv = serverArgv({ ...spec, tokenFile, port: remotePort });
        const pid = await launchDetached(host, { runDir, argv, env: {}, token: this.token(runDir), setup: this.target.setup });
        started = { pid, host: '127.0.0.1', port: remotePort };
      }
      const reach = await this.reach(started.port, options.localPort, started.host);
      tunnel = reach.tunnel;
      const { pid, slurmJobId } = started;
      // The server answers /models once the model is loaded; its state is asked every third round.
      await this.pollUntil(runDir, { timeoutMs: options.readyTimeoutMs ?? DEFAULT_READY_MS, port: started.port, stateEvery: 3, ...(slurmJobId ? { slurmJobId } : {}) },
        async () => ((await modelsAnswer(reach.endpoint, token)) ? true : undefined));
      return { runDir, ...(pid ? { pid } : {}), ...(slurmJobId ? { slurmJobId } : {}), remoteHost: started.host, remotePort: started.port, endpoint: reach.endpoint, ...(tunnel ? { tunnel } : {}) };
    } catch (err) {
      // Nothing stays behind a failed deploy: the server (if it started), its tunnel and its token file.
      await tunnel?.close();
      await this.stop(runDir).catch(() => undefined);
      throw err;
    }
  }

  /**
   * The endpoint on this machine for a server on `remoteHost:remotePort` as the backend reaches it: direct for this
   * machine's 127.0.0.1, else a tunnel (over SSH when the backend is reached over SSH; a Slurm node seen from this
   * machine as the login node: a plain TCP hop).
   */
  async reach(remotePort: number, localPort?: number, remoteHost = '127.0.0.1'): Promise<{ endpoint: string; tunnel?: Tunnel }> {
    const forward = this.target.host.forwardOut?.bind(this.target.host);
    if (!forward && remoteHost === '127.0.0.1') return { endpoint: `http://127.0.0.1:${remotePort}/v1` };
    const connect = forward ? () => forward(remoteHost, remotePort) : () => connectTcp(remoteHost, remotePort);
    let tunnel: Tunnel;
    try {
      tunnel = await openTunnel(connect, localPort ?? 0);
    } catch (err) {
      if (localPort === undefined) throw err;
      tunnel = await openTunnel(connect); // the port of last time is taken
    }
    return { endpoint: `http://127.0.0.1:${tunnel.port}/v1`, tunnel };
  }

  /**
   * Asks `ready` each second until it gives a value; every `stateEvery`-th round (the first included) also asks
   * whether the server still runs. Throws with the log's tail when the server ended or `timeoutMs` passed
   * (`port`: the one named in that message).
   */
  private async pollUntil<T>(runDir: string, o: { timeoutMs: number; port: number | string; stateEvery: number; slurmJobId?: string }, ready: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + o.timeoutMs;
    for (let i = 0; ; i++) {
      const found = await ready();
      if (found !== undefined) return found;
      const state = i % o.stateEvery === 0 ? await this.state(runDir, o.slurmJobId) : { state: 'running' as const };
      if (state.state !== 'running') {
        const code = state.state === 'exited' ? String(state.code) : '?';
        throw new DeployFailed(deployMessage(this.locale, 'deploy.exited', { code, log: await this.logTail(runDir) }));
      }
      if (Date.now() > deadline) {
        throw new DeployFailed(deployMessage(this.locale, 'deploy.notReady', { port: o.port, seconds: Math.round(o.timeoutMs / 1000), log: await this.logTail(runDir) }));
      }
      await sleep(1000);
    }
  }

  /**
   * Whether the deployment's server still runs (its process group, carrying its token; on Slurm its job, by
   * `slurmJobId` when the caller knows it, else as recorded in the folder).
   */
  async state(runDir: string, slurmJobId?: string): Promise<RunState> {
    const dir = await this.ownRunDir(runDir);
    if (this.target.kind !== 'slurm') return this.target.host.retrying((c) => remoteRunState(c, dir, this.token(dir)));
    const id = slurmJobId ?? (await this.slurmJobId(dir));
    const status = id ? await new SlurmCluster(this.target.host).state(id) : undefined;
    if (!status) return { state: 'lost', reason: id ? `Slurm no longer knows job ${id}` : 'no Slurm job recorded' };
    return status.phase === 'pending' || status.phase === 'running' ? { state: 'running' } : { state: 'exited', code: status.exitCode ?? null };
  }

  /** Ends the server's process group (SIGTERM, then SIGKILL) and removes its token file. */
  async stop(runDir: string): Promise<void> {
    const dir = await this.ownRunDir(runDir);
    if (this.target.kind === 'slurm') {
      const id = await this.slurmJobId(dir);
      if (id) await new SlurmCluster(this.target.host).cancel(id);
    } else {
      await this.target.host.retrying((c) => cancelRemoteRun(c, dir, this.token(dir), 10_000));
    }
    await this.target.host.exec(['rm', '-f', posix.join(dir, 'token')]).catch(() => undefined);
  }

  /** The last lines of the server's log. */
  async logTail(runDir: string, lines = 20): Promise<string> {
    const dir = await this.ownRunDir(runDir).catch(() => undefined);
    return dir ? tailLines(this.target.host, runFile(dir, 'log'), lines) : '';
  }

  /**
   * Where a running deployment listens, as the backend itself says (a record's fields are not trusted for a host):
   * a Slurm job's endpoint file, else the backend's 127.0.0.1 and the recorded port.
   */
  async serverAddress(runDir: string, recordedPort: number): Promise<{ host: string; port: number } | undefined> {
    const dir = await this.ownRunDir(runDir);
    if (this.target.kind !== 'slurm') return { host: '127.0.0.1', port: recordedPort };
    const bytes = await this.target.host.readFrom(posix.join(dir, ENDPOINT_FILE), 0, 1024);
    return bytes ? parseEndpointFile(bytes.toString('utf8')) : undefined;
  }

  /** Writes and submits the batch script; records the job id in the deployment folder. */
  private async submit(runDir: string, request: DeployRequest, spec: Parameters<typeof slurmServeScript>[0]['spec']): Promise<string> {
    const slurm = this.target.slurm;
    if (!slurm) throw new DeployFailed('a Slurm target needs its job resources');
    const script = slurmServeScript({ name: `serve-${request.servedModel}`, runDir, slurm, setup: this.target.setup, spec });
    await this.target.host.writeFileAtomic(posix.join(runDir, 'serve.sbatch'), script);
    const id = await new SlurmCluster(this.target.host).submit(script, slurm);
    await this.target.host.writeFileAtomic(posix.join(runDir, JOB_ID_FILE), id + '\n');
    return id;
  }

  private async slurmJobId(runDir: string): Promise<string | undefined> {
    const bytes = await this.target.host.readFrom(posix.join(runDir, JOB_ID_FILE), 0, 64);
    const id = bytes?.toString('utf8').trim();
    return id && /^\d+$/.test(id) ? id : undefined;
  }

  /** A record's run folder only when it is one of this backend's deployment folders (records may come from a clone). */
  private async ownRunDir(runDir: string): Promise<string> {
    const expected = await this.runDir(posix.basename(runDir));
    if (expected !== runDir) throw new DeployFailed(`${runDir} is not a deployment folder of the backend "${this.target.name}"`);
    return runDir;
  }

  private token(runDir: string): string {
    return tokenFor(this.target.runSecret, runDir);
  }
}

/** Whether GET {endpoint}/models answers 200 with this token (within a few seconds). */
export async function modelsAnswer(endpoint: string, token: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/models`, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}
