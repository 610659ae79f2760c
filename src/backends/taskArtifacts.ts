// What a finished one-off task (predict, export) reports in its done event, made usable on this machine: a remote
// run's predictions file comes back (Backend.fetchArtifact) so that scoring reads it as it reads a local job's;
// model folders and weights stay where they are (paths on the backend, recorded as such).
import * as path from 'node:path';
import type { Backend } from './backend';
import type { RunHandle } from '../shared/job';
import { PREDICTIONS_FILE } from './runFiles';

/**
 * The done event's artifacts with `predictions` a file on this machine: fetched into `into` (a folder here) for a
 * remote run; a local run's stays where the trainer wrote it. Undefined when the trainer named a predictions file
 * that cannot be had (not in the run's output on the remote side).
 */
export async function artifactsHere(
  backend: Backend, handle: RunHandle, artifacts: Record<string, string>, into: string,
): Promise<Record<string, string> | undefined> {
  if (artifacts['predictions'] === undefined || handle.backend === 'local') return artifacts;
  const fetched = await backend.fetchArtifact(handle, 'predictions', path.join(into, PREDICTIONS_FILE));
  return fetched === undefined ? undefined : { ...artifacts, predictions: fetched };
}
