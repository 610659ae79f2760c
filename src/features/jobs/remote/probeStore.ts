// The last probe report of each Slurm backend, kept in the editor's global storage (it describes the cluster, not a
// workspace, and nothing in a cloned repository can forge it). Read back through its schema.
import type * as vscode from 'vscode';
import { StoredProbe } from '../../../backends/slurm/probeSummary';

const key = (name: string) => `finetune.backends.probe/${name}`;

export class ProbeStore {
  constructor(private readonly state: vscode.Memento) {}

  get(name: string): StoredProbe | undefined {
    const parsed = StoredProbe.safeParse(this.state.get(key(name)));
    return parsed.success ? parsed.data : undefined;
  }

  async set(name: string, probe: StoredProbe): Promise<void> {
    await this.state.update(key(name), probe);
  }
}
