// The fix for a failed job in the user's language. The trainer (Python) writes its fixes in English; for the kinds
// of failure it names, the editor has the same advice in every language it speaks. A fix that quotes a command (a
// pip install line) or a kind without a text here is shown as the trainer wrote it.
import * as vscode from 'vscode';
import type { JobRecord } from '../../shared/job';

function fixFor(kind: string): string | undefined {
  switch (kind) {
    case 'config':
      return vscode.l10n.t('Fix the job\'s settings and start it again.');
    case 'dataset':
      return vscode.l10n.t('Check the dataset with Fine-tune: Check Dataset and fix the line shown.');
    case 'model_not_found':
      return vscode.l10n.t('Check the base model\'s path or hub id: point the job at a folder with config.json, the weights and the tokenizer files, or download the model to a folder first if this machine cannot reach the hub.');
    case 'no_gpu':
      return vscode.l10n.t('Choose the CPU (tiny models only) or a backend with a CUDA GPU; check `nvidia-smi` and that torch was built with CUDA.');
    case 'oom':
      return vscode.l10n.t('Lower the batch size (raise gradient accumulation to keep the effective batch), turn on gradient checkpointing, lower the maximum length, or use LoRA instead of full fine-tuning.');
    default:
      return undefined;
  }
}

export function jobErrorFix(record: Pick<JobRecord, 'errorFix' | 'errorKind'>): string | undefined {
  if (!record.errorFix) return undefined;
  return (record.errorKind && fixFor(record.errorKind)) || record.errorFix;
}
