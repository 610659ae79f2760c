// The Jobs and Models views get their providers before anything else in activate(): until then VS Code shows
// "There is no data provider registered" in them (issue 16). Checked on the sources, as activate() needs VS Code.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { read } from './sourceFiles';

/** The text of `function name(...) {...}` in `source`, up to the next top-level function. */
function functionBody(source: string, name: string): string {
  const start = source.indexOf(`function ${name}(`);
  assert.ok(start >= 0, `function ${name} not found`);
  const next = source.indexOf('\nexport function ', start + 1);
  return source.slice(start, next < 0 ? undefined : next);
}

describe('activation order', () => {
  it('activate() registers the views right after the platform, before any feature', () => {
    const body = functionBody(read('src/extension.ts'), 'activate');
    const at = (call: string) => {
      const i = body.indexOf(`${call}(`);
      assert.ok(i >= 0, `activate() calls ${call}`);
      return i;
    };
    const views = Math.max(at('registerJobsView'), at('registerModelsView'));
    assert.ok(at('createPlatform') < Math.min(at('registerJobsView'), at('registerModelsView')));
    for (const feature of ['registerTokens', 'registerDataset', 'registerCurves', 'registerJobs', 'registerEval', 'registerModels']) {
      assert.ok(views < at(feature), `the views are registered before ${feature}`);
    }
  });

  it('the view functions register their provider synchronously (nothing awaited first)', () => {
    for (const [file, name, view] of [['src/features/jobs/index.ts', 'registerJobsView', 'finetune.jobs'], ['src/features/models/index.ts', 'registerModelsView', 'finetune.models']] as const) {
      const body = functionBody(read(file), name);
      assert.match(body, new RegExp(`registerTreeDataProvider\\('${view.replace('.', '\\.')}'`), name);
      assert.doesNotMatch(body, /\bawait\b|\basync\b|\.then\(/, name);
    }
  });
});
