// Unreplaced template placeholders in answers (FT076): `{{name}}`, `{{author}}` (LLaMA-Factory's identity.json
// ships them to be filled in), `<YOUR_NAME>`, `[Your Name]`, `[INSERT DATE]`, `【你的名字】`. Trained as they
// are, the model learns to say the placeholder. Only answers are read (a prompt may ask about templates), and
// code in backticks is left out (`{{ user.name }}` in a Jinja or Vue answer is code, not a placeholder).
import type { Findings } from './findings';
import type { SampleView } from './rules/turn';

/**
 * Matches where a placeholder may start, in the raw line. Part of the line's one scan for rare things
 * (textHazards.ts), so a line without one costs nothing more.
 */
export const PLACEHOLDER_HINT = /\{\{|[<[【]\s*(?:[Yy][Oo][Uu][Rr]|[Ii][Nn][Ss][Ee][Rr][Tt]|[Ee][Nn][Tt][Ee][Rr]|你的|您的|填写|插入|请填写)/;

const PLACEHOLDERS = new RegExp([
  // {{name}}, {{ author }}, {{model_name}}, {{名字}}: a bare name, not an expression
  /\{\{\s*[A-Za-z_\u4e00-\u9fff][\w\u4e00-\u9fff.-]{0,40}\s*\}\}/.source,
  // <YOUR_NAME>, <your name>, <INSERT-COMPANY>
  /<\s*(?:your|insert|enter)[ _-]?[a-z][a-z _-]{0,30}>/.source,
  // [YOUR NAME], [Your Name], [Insert date]
  /\[\s*(?:your|insert|enter)[ _-][a-z][a-z _-]{0,30}\]/.source,
  // 【你的名字】, [您的公司名称], <请填写姓名>
  /[【[<]\s*(?:你的|您的|填写|插入|请填写)[^\]】>\n]{1,12}[\]】>]/.source,
].join('|'), 'gi');

/** Fenced and inline code, left out of the search. */
const CODE = /```[\s\S]*?(?:```|$)|`[^`\n]*`/g;

/** At most this many FT076 a sample. */
const MAX_PER_SAMPLE = 5;

/** FT076 for each answer of the view that holds placeholders (naming the first few), on the answer's value. */
export function checkPlaceholders(view: SampleView, out: Findings): void {
  let count = 0;
  for (const part of view.parts) {
    if (count >= MAX_PER_SAMPLE) return;
    if (part.role !== 'assistant' || part.path === undefined) continue;
    const text = part.text.indexOf('`') === -1 ? part.text : part.text.replace(CODE, ' ');
    const found = new Set<string>();
    PLACEHOLDERS.lastIndex = 0;
    for (let m = PLACEHOLDERS.exec(text); m !== null && found.size < 3; m = PLACEHOLDERS.exec(text)) found.add(m[0]);
    PLACEHOLDERS.lastIndex = 0;
    if (found.size === 0) continue;
    count++;
    out.add('FT076', { path: part.at === undefined ? part.path : [...part.path, part.at] }, 'placeholder', { found: [...found].join(', ') });
  }
}
