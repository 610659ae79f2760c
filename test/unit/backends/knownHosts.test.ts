// known_hosts parsing and matching, and the fingerprint format, against vectors made with OpenSSH's ssh-keygen.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  checkHostKey, fingerprintSha256, hostMatches, keyTypeOf, knownHostName, knownHostsLine, knownKeyTypes, parseKnownHosts,
} from '../../../src/backends/ssh/knownHosts';

const KEY_B64 = 'AAAAC3NzaC1lZDI1NTE5AAAAIEjcyi5nixxIFtYrWPDRC5pcugD/4hAShl+AKFEs5fNO';
const KEY = Buffer.from(KEY_B64, 'base64');
// `ssh-keygen -lf` of that key.
const FINGERPRINT = 'SHA256:3nuaPYDbhvgBN290DkN0leCvOcRQK0e8MVMfPBYCWzM';
// `ssh-keygen -H` of "[10.0.0.5]:2222 ssh-ed25519 <KEY>".
const HASHED = `|1|8M9VJvbGH5HJaRO1NyQLmL8ijIo=|GPPWcNHYH/Z9FoYDCViKhht+W70= ssh-ed25519 ${KEY_B64}`;
const OTHER_B64 = Buffer.concat([KEY.subarray(0, KEY.length - 1), Buffer.from([0])]).toString('base64');

test('the fingerprint is SHA256 in unpadded base64, as OpenSSH prints it', () => {
  assert.equal(fingerprintSha256(KEY), FINGERPRINT);
  assert.equal(keyTypeOf(KEY), 'ssh-ed25519');
  assert.equal(keyTypeOf(Buffer.alloc(2)), '');
});

test('hosts on port 22 are named plainly, others as [host]:port', () => {
  assert.equal(knownHostName('gpu.lab', 22), 'gpu.lab');
  assert.equal(knownHostName('10.0.0.5', 2222), '[10.0.0.5]:2222');
  assert.equal(knownHostsLine('[10.0.0.5]:2222', KEY), `[10.0.0.5]:2222 ssh-ed25519 ${KEY_B64}`);
});

test('patterns: lists, wildcards, negation, case; hashed entries', () => {
  assert.ok(hostMatches('gpu.lab,10.0.0.1', 'gpu.lab'));
  assert.ok(hostMatches('*.lab', 'GPU.lab'));
  assert.ok(hostMatches('gpu?.lab', 'gpu1.lab'));
  assert.ok(!hostMatches('gpu?.lab', 'gpu12.lab'));
  assert.ok(!hostMatches('*.lab,!bad.lab', 'bad.lab'));
  assert.ok(!hostMatches('gpu.lab', '[gpu.lab]:2222'));
  assert.ok(hostMatches('[gpu.lab]:2222', '[gpu.lab]:2222'));
  assert.ok(!hostMatches('a.b', 'aXb'), 'a dot is no wildcard');
  const hashed = parseKnownHosts(HASHED)[0]!;
  assert.ok(hostMatches(hashed.hosts, '[10.0.0.5]:2222'));
  assert.ok(!hostMatches(hashed.hosts, '10.0.0.5'));
  assert.ok(!hostMatches('|1|broken', '10.0.0.5'));
});

test('parsing skips comments, blanks and malformed lines, and keeps markers and line numbers', () => {
  const entries = parseKnownHosts(['# comment', '', 'onlyhost', `@revoked * ssh-ed25519 ${KEY_B64}`, `h ssh-ed25519 not*base64`, HASHED, '@cert-authority *.lab ssh-ed25519 ' + KEY_B64].join('\r\n'));
  assert.deepEqual(entries.map((e) => [e.marker, e.line]), [['revoked', 4], [undefined, 6], ['cert-authority', 7]]);
});

test('verdicts: known, unknown (with the other types known), changed, revoked', () => {
  const name = '[10.0.0.5]:2222';
  assert.deepEqual(checkHostKey(parseKnownHosts(HASHED), name, KEY), { kind: 'known' });
  assert.deepEqual(checkHostKey([], name, KEY), { kind: 'unknown', otherTypes: [] });
  const rsaOnly = parseKnownHosts(`${name} ssh-rsa AAAAB3NzaC1yc2E=`);
  assert.deepEqual(checkHostKey(rsaOnly, name, KEY), { kind: 'unknown', otherTypes: ['ssh-rsa'] });
  assert.deepEqual(knownKeyTypes(rsaOnly, name), ['ssh-rsa']);
  assert.deepEqual(checkHostKey(parseKnownHosts(`# x\n${name} ssh-ed25519 ${OTHER_B64}`), name, KEY), { kind: 'changed', line: 2 });
  // The same key listed for the host AND revoked: refused.
  assert.deepEqual(checkHostKey(parseKnownHosts(`${HASHED}\n@revoked * ssh-ed25519 ${KEY_B64}`), name, KEY), { kind: 'revoked', line: 2 });
  // A cert-authority line is no host key.
  assert.deepEqual(checkHostKey(parseKnownHosts(`@cert-authority * ssh-ed25519 ${KEY_B64}`), name, KEY), { kind: 'unknown', otherTypes: [] });
});
