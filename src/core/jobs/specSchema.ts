// The JSON schema of `*.ftjob.json` files (completion and validation in the editor, through package.json's
// contributes.jsonValidation), generated from the zod JobSpec: `node esbuild.mjs` writes schemas/ftjob.schema.json
// (scripts/ftjob-schema.mjs) and a unit test checks that the committed file equals this.
import * as z from 'zod';
import { JobSpec } from '../../shared/jobSpec';

export const FTJOB_SCHEMA_PATH = 'schemas/ftjob.schema.json';

export function ftjobJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(JobSpec, { io: 'input', target: 'draft-07' }),
    title: 'Fine-tune Studio job spec (*.ftjob.json)',
  };
}

/** The schema file's text, as written and compared. */
export function ftjobJsonSchemaText(): string {
  return JSON.stringify(ftjobJsonSchema(), null, 2) + '\n';
}
