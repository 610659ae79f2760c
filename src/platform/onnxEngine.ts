// A local ONNX model folder as an engine in its generate worker (dist/workers/generate.js), for the trial chat and
// the local server: onnxruntime-node loads in that worker only when a local model is first used. A folder it cannot
// run rejects with an Error whose message says what is wrong, in the user's language.
import * as path from 'node:path';
import type { OnnxEngine } from '../inference/onnx';
import { coreLocale } from './locale';

export async function openOnnxEngine(extensionPath: string, folder: string, label: string): Promise<OnnxEngine> {
  const { createOnnxEngine, OnnxModelError } = await import('../inference/onnx');
  try {
    return await createOnnxEngine(folder, { label, workerScript: path.join(extensionPath, 'dist', 'workers', 'generate.js') });
  } catch (err) {
    throw new Error(err instanceof OnnxModelError ? err.localized(coreLocale()) : err instanceof Error ? err.message : String(err));
  }
}
