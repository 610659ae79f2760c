// The Python the test tiers use for references and the trainer's own suite: Debian's /usr/bin/python3 with
// Debian's packages (python3-jieba and python3-nltk for the metric references, python3-pytest for the trainer
// suite). Installed with apt-get when running as root; otherwise the tiers that need them say so and stop.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { aptInstall, canApt } from './apt.mjs';
import { dim } from './common.mjs';

export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Python modules the tests need, with the Debian package that provides each. */
export const PYTHON_TEST_MODULES = { jieba: 'python3-jieba', nltk: 'python3-nltk', pytest: 'python3-pytest' };

/** True when `python -c "import <module>"` works. */
export function hasPythonModule(module, python = PYTHON) {
  return spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

/** Installs the missing ones when possible; returns the modules still missing. */
export async function ensurePythonTestModules(modules = Object.keys(PYTHON_TEST_MODULES)) {
  let missing = modules.filter((m) => !hasPythonModule(m));
  if (missing.length > 0 && canApt()) {
    await aptInstall(missing.map((m) => PYTHON_TEST_MODULES[m]));
    missing = modules.filter((m) => !hasPythonModule(m));
  }
  if (missing.length > 0) {
    console.log(dim(`Python modules missing for ${PYTHON}: ${missing.join(', ')} (apt-get install -y ${missing.map((m) => PYTHON_TEST_MODULES[m]).join(' ')})`));
  }
  return missing;
}
