// A Python for the trainer's model tests and the real-trainer integration tests: one that imports torch,
// transformers, peft, accelerate and pytest. Debian's python3 has none of the first four, so this builds a venv
// in the cache (named by the pinned versions) with pip, from the machine's local wheel folders or index when pip
// is configured with them (find-links / extra-index-url). Without them pip fails fast and the model tests are
// reported as not run. Never installs into any system Python.
//
// Order: FINETUNE_TRAINER_PYTHON (when set and working) → the cached venv (when it works) → a new venv.
// FINETUNE_NO_TRAINER_VENV=1 leaves out both venv steps (scripts/test.mjs sets it for the tiers after it has looked;
// set it yourself, with no FINETUNE_TRAINER_PYTHON, to see the runs without a trainer Python).
// Returns { python, versions } or { reason }.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot, dim, green, onPath } from './common.mjs';

/** The versions the venv pins (the CPU torch wheel: no CUDA libraries to download). */
export const TRAINER_PINS = {
  torch: '2.13.0+cpu',
  transformers: '5.17.0',
  peft: '0.21.0',
  accelerate: '1.15.0',
  pytest: '9.1.1',
};
/**
 * Optional extras for the ONNX export and its check (trainer/tests/test_export.py, realQwen3.test.ts): installed
 * after the pins, best effort, so a machine without their wheels still gets a working venv (those tests then say
 * they did not run). Not part of the venv's name: adding them keeps an existing venv.
 */
export const TRAINER_EXTRAS = {
  onnx: '1.23.1',
  onnxscript: '0.7.2',
  onnxruntime: '1.30.0',
};
const MODULES = Object.keys(TRAINER_PINS);
const INSTALL_LIMIT_MS = 10 * 60_000;

const venvName = () => `trainer-venv-${Object.entries(TRAINER_PINS).map(([p, v]) => `${p}${v}`).join('-')}`;
export const trainerVenvDir = () => join(cacheRoot(), venvName());

/**
 * The versions of MODULES installed for `python`, or null when any is missing (or it does not run). `imports`:
 * import each (about 7 s for torch and friends, done once after building the venv); otherwise read the installed
 * packages' metadata (well under a second, for every later run).
 */
export function trainerModuleVersions(python, { imports = false } = {}) {
  const version = imports ? 'importlib.import_module(m).__version__' : 'importlib.metadata.version(m) if importlib.util.find_spec(m) else None';
  const code = `import importlib, importlib.metadata, importlib.util, json; v = {m: ${version} for m in ${JSON.stringify(MODULES)}}; print(json.dumps(v if all(v.values()) else None))`;
  const r = spawnSync(python, ['-c', code], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) return null;
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop());
  } catch {
    return null;
  }
}

/** The first python3 on PATH that can make a venv with pip (pyenv's has ensurepip; Debian's needs python3-venv). */
function venvCapablePython() {
  const candidates = [...(onPath('python3') ? ['python3'] : []), '/usr/bin/python3'];
  return candidates.find((py) => spawnSync(py, ['-c', 'import venv, ensurepip'], { stdio: 'ignore' }).status === 0);
}

/** Runs `cmd` with its output appended to `log`; resolves to the exit code (or a reason on timeout). */
function runLogged(cmd, args, log, limitMs) {
  return new Promise((resolve) => {
    const out = createWriteStream(log, { flags: 'a' });
    out.write(`\n$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    const done = (code) => {
      clearTimeout(timer);
      out.end(() => resolve(code));
    };
    child.once('error', (err) => {
      out.write(`could not start: ${err.message}\n`);
      done(-1);
    });
    child.once('exit', (code, signal) => done(signal === 'SIGKILL' ? 'timeout' : code));
  });
}

/** Builds the venv; returns { python } or { reason } (the log file holds pip's output). */
async function createVenv(dir) {
  const base = venvCapablePython();
  if (!base) return { reason: 'no python3 with the venv module and ensurepip (apt-get install python3-venv)' };
  const log = `${dir}.log`;
  mkdirSync(cacheRoot(), { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  rmSync(log, { force: true });
  const python = join(dir, 'bin', 'python');
  console.log(dim(`Building ${dir} with ${base} (pip log: ${log}; at most ${INSTALL_LIMIT_MS / 60_000} minutes)...`));
  const started = Date.now();
  const venv = await runLogged(base, ['-m', 'venv', dir], log, 120_000);
  if (venv !== 0) return failed(dir, `\`${base} -m venv\` failed (see ${log})`);
  const pins = Object.entries(TRAINER_PINS).map(([p, v]) => `${p}==${v}`);
  // --retries 0: offline, an unreachable default index fails at once instead of retrying each package for seconds.
  const pipArgs = ['-m', 'pip', 'install', '--no-input', '--disable-pip-version-check', '--retries', '0', ...pins];
  const pip = await runLogged(python, pipArgs, log, INSTALL_LIMIT_MS);
  if (pip === 'timeout') return failed(dir, `pip install did not finish in ${INSTALL_LIMIT_MS / 60_000} minutes (see ${log})`);
  if (pip !== 0) return failed(dir, `pip could not install ${pins.join(' ')} (no local wheels or index for them? see ${log})`);
  const extras = Object.entries(TRAINER_EXTRAS).map(([p, v]) => `${p}==${v}`);
  const optional = await runLogged(python, [...pipArgs.filter((a) => !pins.includes(a)), ...extras], log, INSTALL_LIMIT_MS);
  if (optional !== 0) console.log(dim(`Optional ${extras.join(' ')} not installed (see ${log}): the ONNX export tests will not run.`));
  console.log(dim(`Built in ${((Date.now() - started) / 1000).toFixed(0)} s.`));
  return { python };
}

function failed(dir, reason) {
  rmSync(dir, { recursive: true, force: true }); // a half-built venv must not look cached next time
  return { reason };
}

async function findTrainerPython() {
  const given = process.env.FINETUNE_TRAINER_PYTHON;
  if (given) {
    const versions = trainerModuleVersions(given);
    if (versions) return { python: given, versions };
    console.log(dim(`FINETUNE_TRAINER_PYTHON=${given} does not run or lacks one of ${MODULES.join(', ')}: looking further.`));
  }
  if (process.env.FINETUNE_NO_TRAINER_VENV) {
    return { reason: given ? `FINETUNE_TRAINER_PYTHON=${given} lacks them, and FINETUNE_NO_TRAINER_VENV is set` : 'FINETUNE_NO_TRAINER_VENV is set and FINETUNE_TRAINER_PYTHON is not' };
  }
  const dir = trainerVenvDir();
  const cached = join(dir, 'bin', 'python');
  if (existsSync(cached)) {
    const versions = trainerModuleVersions(cached);
    if (versions) return { python: cached, versions };
  }
  const built = await createVenv(dir);
  if (built.reason) return built;
  const versions = trainerModuleVersions(built.python, { imports: true });
  return versions ? { python: built.python, versions } : failed(dir, `the new venv ${dir} does not import ${MODULES.join(', ')}`);
}

/**
 * { python, versions } for a Python with the trainer's packages, or { reason } why there is none.
 * Prints one line either way.
 */
export async function ensureTrainerPython() {
  const found = await findTrainerPython();
  if (found.python) {
    const list = Object.entries(found.versions).map(([m, v]) => `${m} ${v}`).join(', ');
    console.log(green(`Trainer Python: ${found.python} (${list})`));
  } else {
    console.log(`Model tests will not run: ${found.reason}`);
  }
  return found;
}
