#!/usr/bin/env node
// Regenerates assets/jieba/jieba-0.42.1.txt.br, the segmentation data of src/core/metrics (Python jieba's own
// dictionary, logarithms and HMM tables), from Debian's python3-jieba 0.42.1 through scripts/jieba-data.py.
// The build copies the file into dist/jieba/; test/unit/metrics/jiebaData.test.ts checks it still equals Debian's.
//   node scripts/jieba-data.mjs          (needs /usr/bin/python3 with python3-jieba: apt-get install -y python3-jieba)
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const text = execFileSync('/usr/bin/python3', [join(root, 'scripts/jieba-data.py')], { maxBuffer: 64 << 20 });
if (!text.toString('utf8', 0, 20).startsWith('jieba\t0.42.1\n')) throw new Error('expected jieba 0.42.1 (Debian python3-jieba)');
const packed = brotliCompressSync(text, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: text.length },
});
const out = join(root, 'assets/jieba/jieba-0.42.1.txt.br');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, packed);
console.log(`${out}: ${text.length} bytes of text, ${packed.length} compressed`);
