// Keys for duplicate and overlap checks: hashes of a sample's turns with white space collapsed and
// letters lower-cased, whole (`full`) and without the final answer (`prompt`). Declared tools, tool calls and
// media parts are hashed as written: samples that differ there are different samples, not near duplicates.
import { Hasher } from './hash';
import type { SampleView } from './rules/turn';
import type { SampleKeys } from '../types';

export interface ViewKeys {
  full: number;
  /** 0 when the sample has no prompt apart from its answer. */
  prompt: number;
}

export function viewKeys(view: SampleView): ViewKeys {
  const hasher = new Hasher();
  // Declared tools belong to the prompt; they and tool calls or media are hashed as written.
  if (view.tools) hasher.add(view.tools).separator(4);
  const promptParts = view.endsWithAnswer ? view.parts.length - 1 : -1;
  let prompt = 0;
  const parts = view.parts;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i === promptParts) prompt = hasher.value();
    hasher.add(part.role).separator(1).addNormalised(part.text).separator(2);
    if (part.exact) hasher.add(part.exact).separator(3);
  }
  return { full: hasher.value(), prompt: promptParts > 0 ? prompt : 0 };
}

/** A growing list of distinct samples' keys (24 bytes a sample), exported as SampleKeys. */
export class SampleKeyList {
  private full = new Float64Array(4096);
  private prompt = new Float64Array(4096);
  private lines = new Int32Array(4096);
  private count = 0;

  push(full: number, prompt: number, line: number): void {
    if (this.count === this.full.length) this.grow();
    this.full[this.count] = full;
    this.prompt[this.count] = prompt;
    this.lines[this.count] = line;
    this.count++;
  }

  export(): SampleKeys {
    return { full: this.full.slice(0, this.count), prompt: this.prompt.slice(0, this.count), lines: this.lines.slice(0, this.count) };
  }

  private grow(): void {
    const n = this.full.length * 2;
    const full = new Float64Array(n);
    const prompt = new Float64Array(n);
    const lines = new Int32Array(n);
    full.set(this.full);
    prompt.set(this.prompt);
    lines.set(this.lines);
    Object.assign(this, { full, prompt, lines });
  }
}
