// Before a local job downloads a hub model: is it in the Hugging Face cache, or can the hub (HF_ENDPOINT) be reached
// and does it know the id? Offline, a job would otherwise fail a minute into the trainer with a long traceback.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type HubReach =
  | { ok: true; how: 'cached' | 'hub' }
  | { ok: false; why: 'offline' | 'unknown' | 'gated' | 'unreachable'; endpoint: string; cache: string; detail?: string };

/** The hub cache transformers uses: HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub. */
export function hubCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['HF_HUB_CACHE']) return env['HF_HUB_CACHE'];
  const home = env['HF_HOME'] || path.join(env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache'), 'huggingface');
  return path.join(home, 'hub');
}

export async function checkHubModel(id: string, options: { env?: NodeJS.ProcessEnv; fetch?: typeof fetch; timeoutMs?: number } = {}): Promise<HubReach> {
  const env = options.env ?? process.env;
  const cache = hubCacheDir(env);
  const snapshots = path.join(cache, `models--${id.replace('/', '--')}`, 'snapshots');
  if ((await fs.readdir(snapshots).catch(() => [])).length > 0) return { ok: true, how: 'cached' };
  const endpoint = (env['HF_ENDPOINT'] || 'https://huggingface.co').replace(/\/+$/, '');
  if (env['HF_HUB_OFFLINE'] === '1' || env['TRANSFORMERS_OFFLINE'] === '1') return { ok: false, why: 'offline', endpoint, cache };
  const token = env['HF_TOKEN'] || env['HUGGING_FACE_HUB_TOKEN'];
  try {
    const response = await (options.fetch ?? fetch)(`${endpoint}/api/models/${id}`, {
      method: 'GET',
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(options.timeoutMs ?? 8_000),
      redirect: 'follow',
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.ok) return { ok: true, how: 'hub' };
    if (response.status === 401 || response.status === 403) return { ok: false, why: 'gated', endpoint, cache, detail: `HTTP ${response.status}` };
    if (response.status === 404) return { ok: false, why: 'unknown', endpoint, cache, detail: 'HTTP 404' };
    return { ok: false, why: 'unreachable', endpoint, cache, detail: `HTTP ${response.status}` };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, why: 'unreachable', endpoint, cache, detail: cause?.code ?? cause?.message ?? (err as Error).message };
  }
}
