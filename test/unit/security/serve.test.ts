// The local server (issue 14, "Deploy → Locally") is reachable by every process and web page on this machine, so:
// it listens on 127.0.0.1 only, refuses every request without the exact token (any length, never a crash), does not
// hold a body past its cap, survives malformed HTTP; and `serve --token-file` never follows a planted link, never
// overwrites a file, and creates the token file readable by its owner only.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startChatServer } from '../../../src/inference/server';
import { tokenFromFile } from '../../../src/cli/commands/serve';
import { StubEngine } from '../inference/serverStub';

const TOKEN = 'security-token-0123456789abcdef';
const dir = mkdtempSync(path.join(tmpdir(), 'ft-serve-sec-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('local server security', () => {
  it('listens on 127.0.0.1 only, whatever it is asked', async () => {
    const server = await startChatServer({ engine: new StubEngine(), token: TOKEN });
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:/);
      // Not on the wildcard address: another loopback address of the same port finds nothing listening.
      const other = await new Promise<string>((resolve) => {
        const s = connect(server.port, '127.0.0.2');
        s.on('connect', () => { s.destroy(); resolve('connected'); });
        s.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
        // Where 127.0.0.2 is not configured (macOS) the attempt may just go unanswered.
        s.setTimeout(2000, () => { s.destroy(); resolve('timeout'); });
      });
      assert.notEqual(other, 'connected');
    } finally {
      await server.stop();
    }
  });

  it('a token of any length, or several Authorization values, is refused with 401 (never a 500), and the server goes on', async () => {
    const engine = new StubEngine();
    const server = await startChatServer({ engine, token: TOKEN });
    try {
      for (const given of ['', 'x', TOKEN.toUpperCase(), TOKEN + TOKEN, 'é'.repeat(5000), `${TOKEN} ${TOKEN}`]) {
        const r = await fetch(`${server.url}/models`, { headers: { authorization: `Bearer ${given}` } });
        assert.equal(r.status, 401, JSON.stringify(given.slice(0, 20)));
        await r.arrayBuffer();
      }
      const ok = await fetch(`${server.url}/models`, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(ok.status, 200);
      await ok.arrayBuffer();
      assert.equal(engine.calls.length, 0);
    } finally {
      await server.stop();
    }
  });

  it('answers malformed HTTP with 400 and a body past the cap with 413 before reading it all', async () => {
    const server = await startChatServer({ engine: new StubEngine(), token: TOKEN, maxBodyBytes: 64 });
    try {
      const raw = (text: string) => new Promise<string>((resolve) => {
        const s = connect(server.port, '127.0.0.1');
        let got = '';
        s.on('data', (d) => { got += d.toString(); });
        s.on('close', () => resolve(got));
        s.on('error', () => resolve(got));
        s.end(text);
      });
      assert.match(await raw('NOT HTTP AT ALL\r\n\r\n'), /^HTTP\/1\.1 400/);
      // Declares 10 GB: refused from the header, nothing read.
      const big = await raw(`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 10000000000\r\n\r\n{`);
      assert.match(big, /^HTTP\/1\.1 413/);
      const ok = await fetch(`${server.url}/models`, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(ok.status, 200);
      await ok.arrayBuffer();
    } finally {
      await server.stop();
    }
  });
});

describe('serve --token-file', () => {
  it('creates a missing file 0600 with a fresh 256-bit token', async () => {
    const file = path.join(dir, 'new-token');
    const got = await tokenFromFile(file, dir, 'en');
    assert.ok('token' in got);
    assert.equal(got.shown, 'created');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(readFileSync(file, 'utf8').trim(), got.token);
    assert.match(got.token, /^[A-Za-z0-9_-]{43}$/);
    // Read back the next time, not replaced.
    const again = await tokenFromFile(file, dir, 'en');
    assert.ok('token' in again && again.token === got.token && again.shown === 'read');
  });

  it('does not follow a link planted at its path: neither reads the target as the token nor writes through it', async () => {
    const secret = path.join(dir, 'someone-elses-secret');
    writeFileSync(secret, 'a-long-enough-secret-value-1234567890\n');
    const link = path.join(dir, 'token-link');
    symlinkSync(secret, link);
    const got = await tokenFromFile(link, dir, 'en');
    assert.ok('problem' in got);
    assert.match(got.problem, /cannot use the token file .*token-link/);
    const dangling = path.join(dir, 'dangling-link');
    const target = path.join(dir, 'would-be-created');
    symlinkSync(target, dangling);
    const got2 = await tokenFromFile(dangling, dir, 'en');
    assert.ok('problem' in got2);
    assert.equal(existsSync(target), false);
  });
});
