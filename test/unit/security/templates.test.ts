// Issue 10: a chat template from a model folder is code, and could loop or allocate without end (2.2 GB and a
// crash). Rendering is bounded in steps, time, size and nesting (src/core/tokens/templateRun.ts); a runaway
// template ends quickly with a message in English and Chinese that names its file, at load or per sample.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, symlink, copyFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { countSample, SampleError } from '../../../src/core/tokens/count';
import { loadTokenizerFolder, TokenizerFolderError } from '../../../src/core/tokens/tokenizerFolder';
import { countBatch } from '../../../src/core/tokens/batch';
import { sampleErrorText } from '../../../src/core/tokens/messages';
import { statsCommand } from '../../../src/cli/commands/stats';
import type { CliIo } from '../../../src/cli/io';
import { modelDir, workerScript } from '../tokens/helpers';

/** A model folder with Qwen3's tokenizer and `template` as chat_template.jinja. */
async function folderWith(template: string): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ft-template-'));
  await symlink(path.join(modelDir('qwen3'), 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
  await copyFile(path.join(modelDir('qwen3'), 'tokenizer_config.json'), path.join(dir, 'tokenizer_config.json'));
  const file = path.join(dir, 'chat_template.jinja');
  await writeFile(file, template);
  return { dir, file };
}

const chat = { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] };
/** Runaway only once there are messages, so loading succeeds and the sample is what stops it. */
const whenMessages = (body: string) => `{% if messages %}${body}{% endif %}{% for m in messages %}{{ m.content }}{% endfor %}`;

const RUNAWAYS: [string, string, RegExp][] = [
  ['a loop over range(10**9)', '{% for i in range(10**9) %}{{ i }}{% endfor %}', /longer than|steps|running for/],
  ['nested loops, each small', '{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}', /steps|running for/],
  ['a string doubled in a loop', "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s }}", /longer than/],
  ['a list doubled in a loop', '{% set ns = namespace(l=[1]) %}{% for i in range(64) %}{% set ns.l = ns.l + ns.l %}{% endfor %}{{ ns.l|length }}', /longer than/],
  ['a huge indent', "{{ 'a\\nb' | indent(500000000) }}", /longer than/],
  ['a recursive macro', '{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}', /levels deep/],
];

// A template that escaped the limits would hang the tier: the suite fails after five minutes instead (a guard, not a timing).
describe('runaway chat templates end quickly with a message naming the template', { timeout: 300_000 }, () => {
  for (const [name, body, reason] of RUNAWAYS) {
    it(`${name}: refused when the folder is loaded`, async () => {
      const { dir, file } = await folderWith(body);
      const err = await loadTokenizerFolder(dir).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof TokenizerFolderError, `expected a TokenizerFolderError, got ${String(err)}`);
      assert.match(err.message, reason);
      assert.ok(err.message.includes(file), 'names the template file');
      assert.match(err.message, /the template, not the dataset/);
      assert.ok(err.localized('zh-cn').includes(file) && err.localized('zh-cn').includes('问题出在模板'), 'and in Chinese');
    });

    it(`${name}: when only messages trigger it, the sample fails with the message`, async () => {
      const { dir, file } = await folderWith(whenMessages(body));
      const model = await loadTokenizerFolder(dir);
      const err = (() => {
        try {
          countSample(model, chat);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      assert.ok(err instanceof SampleError, `expected a SampleError, got ${String(err)}`);
      assert.equal(err.code, 'template');
      assert.match(err.message, reason);
      assert.ok(err.message.includes(file));
      assert.ok(err.localized?.key.startsWith('template.'), 'carries the catalogue key, so the user reads it in their language');
    });
  }

  it('a counted batch (what workers send back) carries the message in the user’s language, naming the file', async () => {
    const { dir, file } = await folderWith(whenMessages('{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}'));
    const [result] = countBatch(await loadTokenizerFolder(dir), [{ line: 3, value: chat }, { line: 4, text: JSON.stringify(chat) }]);
    assert.ok(result && 'error' in result && result.error === 'template');
    const zh = sampleErrorText('zh-cn', result);
    assert.ok(zh.includes(file) && zh.includes('嵌套超过'), zh);
    assert.ok(sampleErrorText('en', result).includes('levels deep'));
  });

  it('`stats` through the worker pool: a template that runs away on load exits 2, one that runs away on samples lists them, in Chinese too', async () => {
    const run = async (dir: string, locale: CliIo['locale']) => {
      const data = path.join(dir, 'train.jsonl');
      await writeFile(data, JSON.stringify(chat) + '\n' + JSON.stringify({ text: 'plain text counts' }) + '\n');
      let stdout = '';
      let stderr = '';
      const io: CliIo = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, locale, cwd: dir };
      const code = await statsCommand([data, '--tokenizer', dir], io, { workerScript: workerScript(), workers: 1 });
      return { code, stdout, stderr };
    };
    const onLoad = await folderWith('{% for i in range(10**9) %}{% endfor %}');
    const loadRun = await run(onLoad.dir, 'zh-cn');
    assert.equal(loadRun.code, 2, loadRun.stderr);
    assert.ok(loadRun.stderr.includes(onLoad.file) && loadRun.stderr.includes('问题出在模板'), loadRun.stderr);
    assert.doesNotMatch(loadRun.stderr, /\n\s+at /, 'no stack trace');
    const onSamples = await folderWith(whenMessages("{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}"));
    const sampleRun = await run(onSamples.dir, 'en');
    assert.equal(sampleRun.code, 0, sampleRun.stderr);
    assert.match(sampleRun.stdout, /1 sample\(s\) could not be counted/);
    assert.ok(sampleRun.stdout.includes(`1: The chat template in ${onSamples.file} was stopped because it built a text or list longer than`), sampleRun.stdout);
  });

  it('a template stopped for running too long stops later samples at once, with the same message', async () => {
    const { dir, file } = await folderWith(whenMessages('{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}'));
    const model = await loadTokenizerFolder(dir);
    const thrown = () => {
      try {
        countSample(model, chat);
      } catch (err) {
        return err;
      }
      assert.fail('counted');
    };
    const first = thrown();
    assert.ok(first instanceof SampleError && first.message.includes(file));
    const again = thrown();
    // The same limit error again (its very parameters object), so the template did not run a second time.
    assert.ok(again instanceof SampleError && again.localized?.params === first.localized?.params);
  });

  it('a normal template on a long conversation stays well within the limits', async () => {
    const model = await loadTokenizerFolder(modelDir('qwen3'));
    const messages = Array.from({ length: 2000 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `turn ${i} 少侠` }));
    assert.ok(countSample(model, { messages }).tokens > 2000 * 5);
  });
});
