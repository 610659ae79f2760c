// Tool-call arguments: a JSON string holding an object (OpenAI), or an object (Hugging Face chat templates).
import type { JsonPath } from '../../parsing/jsonPath';
import type { Findings } from '../findings';
import { parseJsonLine } from '../../parsing/jsonLine';
import { typeName } from './values';

export function checkArguments(args: unknown, name: string, path: JsonPath, out: Findings): void {
  if (typeof args === 'object' && args !== null && !Array.isArray(args)) return;
  if (typeof args !== 'string') {
    out.add('FT013', { path }, 'type.expected', { key: 'arguments', expected: 'string', found: typeName(args) });
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    const result = parseJsonLine(args);
    const column = result.ok ? 0 : result.error.column;
    out.add('FT030', { path }, 'tools.argsNotJson', { name, column: column + 1 });
    return;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    out.add('FT030', { path }, 'tools.argsNotObject', { name, found: typeName(parsed) });
  }
}
