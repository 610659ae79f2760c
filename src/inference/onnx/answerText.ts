// The answer's text as tokens arrive: decoded incrementally (as text-generation-inference does: decode a short window
// of recent tokens and keep only what it adds, waiting while the window ends in U+FFFD, a character whose bytes have
// not all arrived), and cut before the first stop string, which may be split across tokens. Text that could be the
// start of a stop string is held back until it is known not to be one, so the streamed pieces concatenate to exactly
// the final answer.

export class AnswerText {
  private readonly ids: number[] = [];
  private prefixOffset = 0;
  private readOffset = 0;
  private text = '';
  private emitted = 0;
  private readonly longestStop: number;
  /** Set once a stop string has appeared: the answer ends before it. */
  stopped = false;

  private readonly decode: (ids: number[]) => string;

  constructor(decode: (ids: number[]) => string, private readonly stops: readonly string[] = []) {
    // Tokenizers refuse to decode nothing.
    this.decode = (ids) => (ids.length === 0 ? '' : decode(ids));
    this.stops = stops.filter((s) => s.length > 0);
    this.longestStop = Math.max(0, ...this.stops.map((s) => s.length));
  }

  /** Adds a generated token; returns the text that can be shown now (often '', never half a character). */
  push(id: number): string {
    if (this.stopped) return '';
    this.ids.push(id);
    const before = this.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    const now = this.decode(this.ids.slice(this.prefixOffset));
    if (now.length <= before.length || now.endsWith('\uFFFD')) return '';
    this.prefixOffset = this.readOffset;
    this.readOffset = this.ids.length;
    return this.append(now.slice(before.length));
  }

  /** The generation ended: whatever is left (a stop string's held-back prefix that never completed, an unfinished character). */
  finish(): string {
    if (this.stopped) return '';
    const before = this.decode(this.ids.slice(this.prefixOffset, this.readOffset));
    const now = this.decode(this.ids.slice(this.prefixOffset));
    const rest = now.slice(before.length);
    this.readOffset = this.ids.length;
    this.prefixOffset = this.readOffset;
    const piece = this.append(rest);
    if (this.stopped) return piece;
    const tail = this.text.slice(this.emitted);
    this.emitted = this.text.length;
    return piece + tail;
  }

  /** The answer so far (final after finish()). */
  get answer(): string {
    return this.text.slice(0, this.emitted);
  }

  private append(delta: string): string {
    const searchFrom = Math.max(0, this.text.length - this.longestStop + 1);
    this.text += delta;
    let cut = -1;
    for (const stop of this.stops) {
      const at = this.text.indexOf(stop, searchFrom);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      this.stopped = true;
      this.text = this.text.slice(0, cut);
      const piece = this.text.slice(this.emitted);
      this.emitted = this.text.length;
      return piece;
    }
    const safeEnd = this.text.length - this.heldBack();
    if (safeEnd <= this.emitted) return '';
    const piece = this.text.slice(this.emitted, safeEnd);
    this.emitted = safeEnd;
    return piece;
  }

  /** How many characters at the end of the text could begin a stop string. */
  private heldBack(): number {
    let held = 0;
    for (const stop of this.stops) {
      for (let k = Math.min(stop.length - 1, this.text.length); k > held; k--) {
        if (this.text.endsWith(stop.slice(0, k))) {
          held = k;
          break;
        }
      }
    }
    return held;
  }
}
