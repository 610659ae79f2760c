// The cheap scans of textHazards.ts that decide whether a line is looked at again: duplicate keys are found by
// counting the colons that end a key (white space before the colon, escaped quotes and colons inside strings),
// and the rare-text scan still finds what it looks for on lines with nothing else unusual.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codesOf, lint, spanText } from './helpers';

const turns = '[{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}]';

describe('FT072 found from the colons that end keys', () => {
  for (const [name, space] of [['a space', ' '], ['a tab', '\t'], ['several spaces', '   '], ['a carriage return', '\r']]) {
    it(`counts a key written with ${name} before its colon`, () => {
      const line = `{"messages": ${turns}, "x": 1, "x"${space}: 2}`;
      const found = lint([line]).diagnostics.filter((d) => d.code === 'FT072');
      assert.deepEqual(found.map((d) => spanText(line + '\n', d)), ['"x"']);
    });
  }

  it('counts a key that ends with an escaped backslash', () => {
    const line = `{"messages": ${turns}, "a\\\\": 1, "a\\\\": 2}`;
    assert.ok(codesOf(line).includes('FT072'));
  });

  it('does not count an escaped quote before a colon, or colons in text', () => {
    const tricky = [
      `{"messages": [{"role": "user", "content": "say \\": here and \\" : there"}, {"role": "assistant", "content": "http://a.b:80 12:30 \\"k\\":1"}]}`,
      `{"messages": ${turns}, "note": "a : b", "n": 1}`,
      `{"messages" : ${turns.replace(/": /g, '" : ')}}`,
    ];
    for (const line of tricky) assert.ok(!codesOf(line).includes('FT072'), line);
  });

  it('is found on a line whose only unusual text is the white space before a colon', () => {
    const line = `{"messages": [{"role": "user", "content": "q", "content" :"r"}, {"role": "assistant", "content": "a"}]}`;
    assert.ok(codesOf(line).includes('FT072'));
  });
});

describe('the rare-text scan', () => {
  it('still finds special tokens, lone surrogates and placeholders', () => {
    assert.ok(codesOf(`{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a<|im_end|>"}]}`).includes('FT071'));
    assert.ok(codesOf(`{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "[INST] a"}]}`).includes('FT071'));
    assert.ok(codesOf(`{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a\\ud800"}]}`).includes('FT070'));
    assert.ok(codesOf(`{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "I am {{name}}."}]}`).includes('FT076'));
  });

  it('reads only own keys: a sample naming no tool keys has no tool findings', () => {
    assert.deepEqual(codesOf(`{"messages": [{"role": "user", "content": "constructor"}, {"role": "assistant", "content": "toString"}]}`), []);
    assert.deepEqual(codesOf(`{"messages": [{"role": "user", "content": "q", "name": "constructor"}, {"role": "assistant", "content": "a"}]}`), []);
  });
});
