// The chat-dataset injection grammar, run through the engine VS Code itself uses (vscode-textmate + oniguruma)
// on top of VS Code's JSON Lines grammar, on real lines of examples/wuxia-doctor and on lines built to trip it up.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

const root = process.cwd();
const file = (...p: string[]) => join(root, ...p);
const text = (...p: string[]) => readFileSync(file(...p), 'utf8');

const BASE = 'source.json.lines';
const INJECTION = 'source.jsonl.chat-dataset.injection';
const grammarFiles: Record<string, string> = {
  [BASE]: file('test/fixtures/grammars/JSONL.tmLanguage.json'),
  [INJECTION]: file('syntaxes/chat-dataset.injection.tmLanguage.json'),
};
const EXAMPLES = 'examples/wuxia-doctor';
const exampleLines = (name: string) => text(EXAMPLES, name).split('\n').slice(0, -1);

/** The scopes this grammar adds; everything else must be what the base grammar gives. */
const isOurs = (scope: string) => scope.endsWith('.dataset.chat') || scope.includes('.dataset.chat.');

const ROLE = {
  system: 'keyword.control.role.system.dataset.chat',
  user: 'constant.language.role.user.dataset.chat',
  assistant: 'entity.name.function.role.assistant.dataset.chat',
  tool: 'entity.name.type.role.tool.dataset.chat',
} as const;
const KEY = (group: string) => `support.type.property-name.json.lines.dataset.chat.${group}`;

let onigLib: Promise<vsctm.IOnigLib>;

function registry(withInjection: boolean, theme?: vsctm.IRawTheme): vsctm.Registry {
  return new vsctm.Registry({
    onigLib,
    ...(theme ? { theme } : {}),
    loadGrammar: async (scopeName) => {
      const path = grammarFiles[scopeName];
      return path ? vsctm.parseRawGrammar(readFileSync(path, 'utf8'), path) : null;
    },
    // What VS Code does for a grammar contributed with "injectTo": ["source.json.lines"].
    getInjections: (scopeName) => (withInjection && scopeName === BASE ? [INJECTION] : undefined),
  });
}

interface Tok { text: string; scopes: string[] }

/** Tokenizes lines in sequence (state carried from line to line, as in an editor). */
function tokenize(grammar: vsctm.IGrammar, lines: string[]): Tok[][] {
  let state = vsctm.INITIAL;
  return lines.map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** The scope list of every character of a line. */
function perChar(tokens: Tok[]): string[] {
  return tokens.flatMap((t) => [...Array(t.text.length)].map(() => t.scopes.join(' ')));
}

let plain: vsctm.IGrammar;
let injected: vsctm.IGrammar;
const tok = (line: string) => tokenize(injected, [line])[0]!;

/** The tokens whose text is exactly `s`. */
const named = (tokens: Tok[], s: string) => tokens.filter((t) => t.text === s);
const ours = (tokens: Tok[]) => tokens.flatMap((t) => t.scopes.filter(isOurs));

/** Asserts that every token with text `value` that is a JSON string value carries `scope`. */
function assertRole(tokens: Tok[], value: string, scope: string) {
  const hits = named(tokens, value).filter((t) => t.scopes.includes('string.quoted.double.json.lines'));
  assert.ok(hits.length > 0, `no string value "${value}"`);
  for (const t of hits) {
    assert.equal(t.scopes.at(-1), scope, `"${value}": ${t.scopes.join(' ')}`);
    assert.ok(t.scopes.includes('meta.structure.dictionary.value.json.lines'), 'keeps the base value scope');
  }
}

/** Asserts that every key token `key` carries the base key scopes and the group scope on top. */
function assertKey(tokens: Tok[], key: string, group: string) {
  const hits = named(tokens, key).filter((t) => t.scopes.includes('support.type.property-name.json.lines'));
  assert.ok(hits.length > 0, `no key "${key}"`);
  for (const t of hits) {
    assert.deepEqual(t.scopes.slice(-3), ['string.json.lines', 'support.type.property-name.json.lines', KEY(group)], key);
  }
}

before(async () => {
  const wasm = readFileSync(file('node_modules/vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  onigLib = Promise.resolve({
    createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s: string) => new oniguruma.OnigString(s),
  });
  plain = (await registry(false).loadGrammar(BASE))!;
  injected = (await registry(true).loadGrammar(BASE))!;
  assert.ok(plain && injected);
});

describe('chat-dataset injection grammar: wiring', () => {
  it('injects into the scope of VS Code’s JSON Lines grammar, as package.json declares', () => {
    const base = JSON.parse(text('test/fixtures/grammars/JSONL.tmLanguage.json')) as { scopeName: string };
    const inj = JSON.parse(text('syntaxes/chat-dataset.injection.tmLanguage.json')) as { scopeName: string; injectionSelector: string };
    assert.equal(base.scopeName, BASE);
    assert.equal(inj.scopeName, INJECTION);
    assert.match(inj.injectionSelector, /^L:source\.json\.lines /);
    const pkg = JSON.parse(text('package.json')) as { contributes: { grammars: { scopeName: string; path: string; injectTo?: string[] }[] } };
    const contributed = pkg.contributes.grammars.find((g) => g.scopeName === INJECTION);
    assert.ok(contributed, 'package.json contributes the injection grammar');
    assert.equal(join(root, contributed.path), grammarFiles[INJECTION]);
    assert.ok(contributed.injectTo?.includes(BASE), 'injectTo names source.json.lines');
  });
});

describe('chat-dataset injection grammar: real example lines', () => {
  it('OpenAI chat (train.jsonl): role values and structure keys', () => {
    const t = tok(exampleLines('train.jsonl')[0]!);
    assertRole(t, 'system', ROLE.system);
    assertRole(t, 'user', ROLE.user);
    assertRole(t, 'assistant', ROLE.assistant);
    assertKey(t, 'messages', 'turns');
    assertKey(t, 'role', 'role');
    assertKey(t, 'content', 'content');
    // The Chinese content stays a plain JSON string.
    const content = t.find((x) => x.text.startsWith('少侠这是风寒束表之症'))!;
    assert.deepEqual(content.scopes.slice(-2), ['meta.structure.dictionary.value.json.lines', 'string.quoted.double.json.lines']);
  });

  it('a message whose content contains the word "assistant" is not a role', () => {
    const line = exampleLines('train.jsonl').find((l) => l.includes('AI assistant'));
    assert.ok(line, 'train.jsonl has the sample that mentions "AI assistant"');
    const t = tok(line);
    const inContent = t.filter((x) => x.text.includes('AI assistant'));
    assert.equal(inContent.length, 1);
    assert.deepEqual(inContent[0]!.scopes.slice(-1), ['string.quoted.double.json.lines']);
    assert.equal(named(t, 'assistant').length, 1, 'only the role value is its own token');
  });

  it('quotes inside content (escaped \\") keep the base escape scope', () => {
    const line = exampleLines('train.jsonl').find((l) => l.includes('\\"食积\\"'))!;
    const t = tok(line);
    const escapes = t.filter((x) => x.text === '\\"');
    assert.equal(escapes.length, 2);
    for (const e of escapes) assert.equal(e.scopes.at(-1), 'constant.character.escape.json.lines');
    assert.deepEqual(ours(t.slice(t.findIndex((x) => x.text.startsWith('哈哈')))).filter((s) => !s.includes('property-name')), []);
  });

  it('ShareGPT (sharegpt.jsonl): from/value, human/gpt, function_call/observation, system and tools keys', () => {
    const lines = exampleLines('sharegpt.jsonl');
    const t = tok(lines[0]!);
    assertRole(t, 'human', ROLE.user);
    assertRole(t, 'gpt', ROLE.assistant);
    assertKey(t, 'conversations', 'turns');
    assertKey(t, 'from', 'role');
    assertKey(t, 'value', 'content');
    assertKey(t, 'system', 'field');
    const withTool = tok(lines.find((l) => l.includes('"function_call"'))!);
    assertRole(withTool, 'function_call', ROLE.tool);
    assertRole(withTool, 'observation', ROLE.tool);
    assertKey(withTool, 'tools', 'tool');
  });

  it('Alpaca (alpaca.jsonl): instruction/input/output/system/history keys', () => {
    const t = tok(exampleLines('alpaca.jsonl').find((l) => l.includes('"history": [['))!);
    for (const k of ['instruction', 'input', 'output', 'system']) assertKey(t, k, 'field');
    assertKey(t, 'history', 'turns');
    assert.equal(t.filter((x) => x.scopes.some((s) => s.includes('.role.'))).length, 0, 'Alpaca has no role values');
  });

  it('tool calls (train-with-mistakes.jsonl line 19): tool role and tool keys', () => {
    const t = tok(exampleLines('train-with-mistakes.jsonl')[18]!);
    assertRole(t, 'tool', ROLE.tool);
    assertRole(t, 'assistant', ROLE.assistant);
    for (const k of ['tool_calls', 'tool_call_id', 'tools', 'name', 'arguments']) assertKey(t, k, 'tool');
    // "id", "type", "function", "parameters"... are ordinary keys.
    for (const k of ['id', 'type', 'function', 'parameters']) {
      for (const x of named(t, k)) assert.deepEqual(x.scopes.filter(isOurs), [], k);
    }
    // The arguments string holds escaped JSON: it stays one string with escapes, no keys inside.
    const args = t.findIndex((x) => x.text === 'arguments');
    const from = t.findIndex((x, i) => i > args && x.scopes.at(-1) === 'punctuation.definition.string.begin.json.lines');
    const until = t.findIndex((x, i) => i > from && x.scopes.at(-1) === 'punctuation.definition.string.end.json.lines');
    const inside = t.slice(from + 1, until);
    assert.equal(inside.map((x) => x.text).join(''), '{\\"location\\": \\"苏州\\", \\"department\\": \\"骨科\\"}');
    for (const x of inside) {
      assert.ok(x.scopes.includes('string.quoted.double.json.lines'), x.text);
      assert.deepEqual(x.scopes.filter(isOurs), [], x.text);
    }
  });

  it('weight key; misspelt or unknown roles are left as plain strings', () => {
    const lines = exampleLines('train-with-mistakes.jsonl');
    assertKey(tok(lines[20]!), 'weight', 'weight');
    for (const [n, role] of [[6, 'assitant'], [8, 'usr'], [9, 'bot']] as const) {
      const t = tok(lines[n - 1]!);
      const v = named(t, role);
      assert.equal(v.length, 1, role);
      assert.deepEqual(v[0]!.scopes.slice(-1), ['string.quoted.double.json.lines'], role);
    }
    // "mesages" is not a dataset key.
    const t18 = tok(lines[17]!);
    assert.deepEqual(named(t18, 'mesages')[0]!.scopes.filter(isOurs), []);
  });
});

describe('chat-dataset injection grammar: what must not match', () => {
  it('keys that merely contain the words, and values that equal them', () => {
    const t = tok('{"username": "user", "role_name": "assistant", "system_prompt": "system", "content_type": "text", ' +
      '"my_messages": [], "Role": "user", "roles": "user", "role ": "user", "x\\"role": "user", "text": "messages", "prompt": "role"}');
    // Only the two real keys at the end are dataset keys; "messages" and "role" there are values.
    assert.deepEqual(t.filter((x) => x.scopes.some(isOurs)).map((x) => [x.text, x.scopes.filter(isOurs)]),
      [['text', [KEY('field')]], ['prompt', [KEY('field')]]]);
  });

  it('invalid JSON around keys: a key-like string in value position stays a value', () => {
    for (const line of ['{"a": "b" "content": "x"}', '{"a"messages": 1}', '{"a": "b"messages": 1}', '{messages": 1}', '{" "role": "user"}']) {
      const t = tok(line);
      assert.deepEqual(t.filter((x) => x.scopes.some((s) => s.startsWith(KEY('')))).map((x) => x.text), [], line);
    }
  });

  it('nothing inside a string, even text that looks like a role pair', () => {
    const line = '{"messages": [{"role": "user", "content": "he wrote \\"role\\": \\"assistant\\", {\\"content\\": \\"x\\"} and \\\\"}, ' +
      '{"role": "assistant", "content": "\\"messages\\": [] \\u0022role\\u0022: \\"tool\\""}]}';
    assert.doesNotThrow(() => JSON.parse(line));
    const t = tok(line);
    const roles = t.filter((x) => x.scopes.some((s) => s.includes('.role.') && !s.includes('property-name')));
    assert.deepEqual(roles.map((x) => x.text), ['"', 'user', '"', '"', 'assistant', '"']);
    assert.deepEqual(t.filter((x) => x.scopes.some((s) => s.startsWith(KEY('')))).map((x) => x.text),
      ['messages', 'role', 'content', 'role', 'content']);
  });

  it('a role value written with an escape, or a non-string role, is not coloured as a role', () => {
    assert.deepEqual(tok('{"role": "\\u0075ser"}').flatMap((x) => x.scopes.filter((s) => s.includes('.role.') && !s.includes('property-name'))), []);
    assert.deepEqual(tok('{"role": "user\\""}').flatMap((x) => x.scopes.filter((s) => s.includes('.role.') && !s.includes('property-name'))), []);
    const nested = tok('{"role": {"user": "assistant"}, "from": ["gpt"], "role": 3}');
    assert.deepEqual(nested.flatMap((x) => x.scopes.filter((s) => s.includes('.role.') && !s.includes('property-name'))), []);
  });
});

describe('chat-dataset injection grammar: never changes the base JSON highlighting', () => {
  const tricky = [
    '{"role": "user", "content": "a \\"quoted\\" word, a backslash \\\\ and a tab \\t"}',
    '{"role" : "assistant" , "content" : "spaced"}',
    '  {"from":"gpt","value":"leading spaces"}  ',
    '{"role":"user",}',
    '{"role": "user" "content": "missing comma"}',
    '{"role": "user"}}]',
    '{"role": , "content": "no value"}',
    '{"role": "system", /* a comment */ "content": "x"} // trailing comment',
    '{"role": "tool", "content": null, "tool_calls": [], "weight": 1.0e0, "name": true}',
    '{"messages": [{"role": "user", "content": "unterminated',
    '{"role": "assistant"',
    ', "content": "continued on the next line"}',
    '{',
    '  "messages": [',
    '    {"role": "user",',
    '     "content": "pretty-printed"}',
    '  ]',
    '}',
    '["not", "an", {"role": "user"}]',
    '"role": "user"',
    '',
  ];
  const sources: [string, string[]][] = [
    ...['train.jsonl', 'eval.jsonl', 'train-with-mistakes.jsonl', 'sharegpt.jsonl', 'alpaca.jsonl']
      .map((f): [string, string[]] => [f, exampleLines(f)]),
    ['tricky lines', tricky],
  ];
  for (const [name, lines] of sources) {
    it(`${name}: same scopes, character by character, once the added .dataset.chat scopes are removed`, () => {
      const a = tokenize(plain, lines);
      const b = tokenize(injected, lines);
      let added = 0;
      lines.forEach((line, i) => {
        const base = perChar(a[i]!);
        const withInj = perChar(b[i]!).map((s) => s.split(' ').filter((x) => !isOurs(x)).join(' '));
        assert.deepEqual(withInj, base, `line ${i + 1}: ${line.slice(0, 80)}`);
        added += ours(b[i]!).length;
      });
      assert.ok(added > 0, 'the injection did add scopes');
    });
  }
});

describe('chat-dataset injection grammar: VS Code’s default themes colour the roles apart', () => {
  interface ThemeFile { include?: string; colors?: Record<string, string>; tokenColors?: vsctm.IRawTheme['settings'] }
  /** A theme file with its `include` chain resolved, as VS Code loads it. */
  function loadTheme(name: string): vsctm.IRawTheme {
    const settings: vsctm.IRawTheme['settings'][number][] = [];
    let colors: Record<string, string> = {};
    const visit = (f: string) => {
      const t = JSON.parse(text('test/fixtures/grammars/themes', f)) as ThemeFile;
      if (t.include) visit(t.include.replace(/^\.\//, ''));
      colors = { ...colors, ...t.colors };
      settings.push(...(t.tokenColors ?? []));
    };
    visit(name);
    return { name, settings: [{ settings: { foreground: colors['editor.foreground']!, background: colors['editor.background']! } }, ...settings] };
  }

  const themes = ['2026-dark.json', '2026-light.json', 'dark_modern.json', 'light_modern.json', 'dark_plus.json', 'light_plus.json'];
  for (const theme of themes) {
    it(theme, async () => {
      const reg = registry(true, loadTheme(theme));
      const grammar = (await reg.loadGrammar(BASE))!;
      const colorMap = reg.getColorMap();
      const line = exampleLines('train-with-mistakes.jsonl')[18]!; // system, user, assistant (tool call), tool, assistant
      const r = grammar.tokenizeLine2(line, vsctm.INITIAL);
      /** The foreground colour at the first occurrence of `s` (tokenizeLine2 merges neighbours of one style). */
      const colourAt = (s: string) => {
        const at = line.indexOf(s);
        assert.ok(at >= 0, s);
        let i = 0;
        while (i + 2 < r.tokens.length && r.tokens[i + 2]! <= at) i += 2;
        return colorMap[(r.tokens[i + 1]! >>> 15) & 0x1ff]!;
      };
      const roles = {
        system: colourAt('system"'),
        user: colourAt('user"'),
        assistant: colourAt('assistant"'),
        tool: colourAt('tool"'),
      };
      const content = colourAt('我在苏州'); // a message content string
      assert.equal(new Set(Object.values(roles)).size, 4, `four different colours: ${JSON.stringify(roles)}`);
      for (const [role, c] of Object.entries(roles)) assert.notEqual(c, content, `${role} differs from a content string`);
      // Structure keys keep the colour of ordinary keys ("role" vs "id").
      assert.equal(colourAt('role"'), colourAt('id"'));
      assert.equal(colourAt('tool_calls"'), colourAt('id"'));
    });
  }
});
