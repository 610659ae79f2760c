import * as vscode from 'vscode';
import type { Config } from './config';

/** The shape of the Python extension's API that we use (ms-python.python, `environments`). */
interface PythonExtensionApi {
  environments?: { getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined };
}

/**
 * The Python to run the trainer with: the `finetune.python.path` setting; else the interpreter selected in the
 * Python extension (when installed); else `python3` from PATH.
 */
export async function resolvePython(config: Config, folder?: vscode.WorkspaceFolder): Promise<{ python: string; source: string }> {
  if (config.pythonPath) return { python: config.pythonPath, source: 'finetune.python.path' };
  const ext = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (ext) {
    try {
      const api = ext.isActive ? ext.exports : await ext.activate();
      const active = api?.environments?.getActiveEnvironmentPath(folder?.uri)?.path;
      if (active) return { python: active, source: vscode.l10n.t('the Python extension\'s interpreter') };
    } catch {
      // the Python extension failed to activate: fall back to PATH
    }
  }
  return { python: 'python3', source: vscode.l10n.t('PATH') };
}
