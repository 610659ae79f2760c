// The streamed answer text (src/inference/onnx/answerText.ts) with the real Qwen3 tokenizer: characters whose bytes
// span several tokens are never shown half-done, and stop strings are cut however the tokens split them.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AnswerText } from '../../../src/inference/onnx/answerText';
import { openTokenizerFolder, type HfTokenizer } from '../../../src/core/tokens/tokenizerFolder';
import { QWEN3_TOKENIZER } from './tinyModel';

let tokenizer: HfTokenizer;
const decode = (ids: number[]) => tokenizer.decode(ids, { skip_special_tokens: true });

function stream(text: string, stops: string[] = []) {
  const ids = tokenizer.encode(text, { add_special_tokens: false }).ids;
  const answer = new AnswerText(decode, stops);
  const pieces: string[] = [];
  let consumed = 0;
  for (const id of ids) {
    consumed++;
    const p = answer.push(id);
    if (p) pieces.push(p);
    if (answer.stopped) break;
  }
  const rest = answer.finish();
  if (rest) pieces.push(rest);
  return { ids, pieces, answer: answer.answer, stopped: answer.stopped, consumed };
}

describe('streamed answer text', () => {
  before(async () => {
    tokenizer = (await openTokenizerFolder(QWEN3_TOKENIZER)).tokenizer;
  });

  it('never emits half a character: emoji and rare CJK take several byte-level tokens', () => {
    const text = '龘靐齉 🐉🧙‍♀️ dragon 你好，世界！ 𠮷野家';
    const r = stream(text);
    assert.ok(r.ids.length > [...text].length / 2, 'some characters span tokens');
    assert.equal(r.pieces.join(''), text);
    for (const p of r.pieces) assert.ok(!p.includes('\uFFFD'), JSON.stringify(p));
    assert.ok(r.pieces.length > 5);
  });

  it('cuts before a stop string split across tokens, and leaves it out', () => {
    const r = stream('The answer is 42.\n\nUser: and then?', ['\n\nUser:']);
    assert.equal(r.stopped, true);
    assert.equal(r.answer, 'The answer is 42.');
    assert.equal(r.pieces.join(''), r.answer);
  });

  it('the earliest of several stop strings wins; a stop string inside one token too', () => {
    assert.equal(stream('alpha beta gamma delta', ['delta', 'beta']).answer, 'alpha ');
    assert.equal(stream('你好，世界！再见', ['世界']).answer, '你好，');
  });

  it('holds back what may start a stop string, and gives it out when it does not', () => {
    const r = stream('wait for it: </ans and more', ['</answer>']);
    assert.equal(r.stopped, false);
    assert.equal(r.answer, 'wait for it: </ans and more');
    assert.equal(r.pieces.join(''), r.answer);
    const tail = stream('ends with </ans', ['</answer>']);
    assert.equal(tail.pieces.join(''), 'ends with </ans');
  });
});
