// Debian packages the test tiers need (Chromium; code-server's native build tools), installed with apt-get
// when running as root; otherwise the callers say what to install.
import { existsSync } from 'node:fs';
import { run } from './proc.mjs';

/** True when this process may install Debian packages itself. */
export const canApt = () => process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');

/** `apt-get install -y <packages>`, updating the package lists first if the install fails; true on success. */
export async function aptInstall(packages) {
  console.log(`apt-get install -y ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if ((await run('apt-get', ['install', '-y', '-q', ...packages], { env })) === 0) return true;
  // A fresh image often has no package lists yet.
  await run('apt-get', ['update', '-q'], { env });
  return (await run('apt-get', ['install', '-y', '-q', ...packages], { env })) === 0;
}
