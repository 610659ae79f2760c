// OpenAI content parts: a message's `content` may be a list of `{type: "text", text}` and media parts
// (`image_url`, `input_audio`, `file`; `image`/`video`/`audio` as Hugging Face processors write them). The
// trainer (trainer/finetune_trainer/data.py) and the token counter keep the text parts' text, joined with
// nothing between them, and pass that string to the chat template; media parts add no text. A part of any
// other shape (`{type: "text", value}`, `{text}` without a type) is a format nobody here knows: the linter
// says so once for the sample instead of guessing (rules/chat.ts).
import { get, isObject, typeName } from '../checks/rules/values';

export type PartKind = 'text' | 'media' | 'unknown';

/** Text parts: Chat Completions' `text`, and the Responses API's `input_text`/`output_text`. */
const TEXT_TYPES: ReadonlySet<string> = new Set(['text', 'input_text', 'output_text']);
/** Parts that carry no text to train on. `refusal` is an assistant's refusal part. */
const MEDIA_TYPES: ReadonlySet<string> = new Set(['image_url', 'input_audio', 'file', 'image', 'video', 'audio', 'input_image', 'input_file', 'refusal']);

/** What a part is. A text part whose `text` is there but not a string is still text (a type error, reported as such). */
export function partKind(part: unknown): PartKind {
  if (!isObject(part)) return 'unknown';
  const type = get(part, 'type');
  if (typeof type !== 'string') return 'unknown';
  if (TEXT_TYPES.has(type)) return get(part, 'text') === undefined ? 'unknown' : 'text';
  return MEDIA_TYPES.has(type) ? 'media' : 'unknown';
}

/** The text the trainer and the chat templates get from a list of parts (text parts joined, media dropped). */
export function partsText(parts: readonly unknown[]): string {
  let text = '';
  for (const part of parts) {
    if (partKind(part) !== 'text') continue;
    const t = get(part as Record<string, unknown>, 'text');
    if (typeof t === 'string') text += t;
  }
  return text;
}

export interface UnknownPart {
  /** 0-based positions of the message and of the part in its content. */
  message: number;
  part: number;
  /** The part's shape for a message: its keys (with the type's value), or its JSON type. */
  shape: string;
}

/** The first content part of an unknown shape in a list of messages, if any. */
export function firstUnknownPart(messages: readonly unknown[], contentKey = 'content'): UnknownPart | undefined {
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    const content = isObject(m) ? get(m, contentKey) : undefined;
    if (!Array.isArray(content)) continue;
    for (let j = 0; j < content.length; j++) {
      if (partKind(content[j]) === 'unknown') return { message: i, part: j, shape: shapeOf(content[j]) };
    }
  }
  return undefined;
}

function shapeOf(part: unknown): string {
  if (!isObject(part)) return typeName(part);
  const keys = Object.keys(part).slice(0, 6).map((k) => {
    const v = get(part, k);
    return k === 'type' && typeof v === 'string' ? `"type": ${JSON.stringify(v.slice(0, 30))}` : JSON.stringify(k.slice(0, 30));
  });
  return `{${keys.join(', ')}}`;
}

/**
 * The messages with each list of content parts replaced by its text, as the trainer passes them to the chat
 * template; the same array when no message has parts. Throws on a part of an unknown shape.
 */
export function withTextContent(messages: readonly unknown[]): readonly unknown[] {
  if (!messages.some((m) => isObject(m) && Array.isArray(get(m, 'content')))) return messages;
  const unknown = firstUnknownPart(messages);
  if (unknown) throw new UnknownPartError(unknown);
  return messages.map((m) => (isObject(m) && Array.isArray(get(m, 'content')) ? { ...m, content: partsText(get(m, 'content') as unknown[]) } : m));
}

export class UnknownPartError extends Error {
  constructor(readonly part: UnknownPart) {
    super(`message ${part.message + 1}, content part ${part.part + 1}: ${part.shape} is not a known content part (expected {"type": "text", "text": ...} or a media part such as image_url)`);
    this.name = 'UnknownPartError';
  }
}
