import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { resolveSshHost, sshConfigHosts } from '../../../src/backends/ssh/sshConfig';

const CONFIG = `
Host gpu lab-*
  HostName 10.0.0.5
  Port 2222
  user alice
  IdentityFile ~/.ssh/id_lab
  IdentityFile ~/.ssh/id_other
Match exec "touch /tmp/ft-ssh-config-ran"
  User mallory
Host *
  ServerAliveInterval 30
`;

test('an alias resolves to its HostName, Port, User and first IdentityFile; Match exec is never run', () => {
  assert.deepEqual(resolveSshHost('gpu', CONFIG), { hostName: '10.0.0.5', port: 2222, user: 'alice', identityFile: '~/.ssh/id_lab' });
  assert.deepEqual(resolveSshHost('plain.host', ''), { hostName: 'plain.host' });
  assert.deepEqual(resolveSshHost('x', 'Host x\n  Port notanumber\n'), { hostName: 'x' });
});

test('concrete hosts are offered, patterns are not', () => {
  assert.deepEqual(sshConfigHosts(CONFIG), ['gpu']);
});
