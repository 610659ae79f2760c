import * as vscode from 'vscode';
import { Disposable } from './dispose';
import type { JobSpec } from '../shared/jobSpec';
import type { JobRecord } from '../shared/job';

export interface StartOptions {
  /** The `*.ftjob.json` the spec came from, if any (recorded in job.json). */
  specFile?: vscode.Uri;
  /** Continue training from this checkpoint folder. */
  resumeFrom?: string;
}

/** Creates jobs from specs, launches them on their backend, follows their events and cancels them. */
export class JobRunner extends Disposable {
  /** Starts a job for a validated spec in the given workspace folder; undefined when the user backed out or it could not start (already explained to the user). */
  async start(_folder: vscode.WorkspaceFolder, _spec: JobSpec, _options: StartOptions = {}): Promise<JobRecord | undefined> {
    void vscode.window.showErrorMessage('Starting jobs is not implemented yet.');
    return undefined;
  }
}
