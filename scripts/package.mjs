#!/usr/bin/env node
// `npm run package`: the installable .vsix for this machine's platform (it carries onnxruntime-node's native binary
// for local models), written to the repository root. See scripts/lib/vsix.mjs.
import { green } from './lib/common.mjs';
import { buildVsix, vsixTarget } from './lib/vsix.mjs';
import { repoRoot } from './lib/common.mjs';

const vsix = await buildVsix({ outDir: repoRoot });
console.log(green(`${vsix.file} (${vsixTarget()}): ${(vsix.bytes / 1024 / 1024).toFixed(1)} MB, ${vsix.files} files`));
