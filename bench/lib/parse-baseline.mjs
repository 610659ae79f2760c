// The baseline for lint throughput: read the file as a stream, split lines, JSON.parse every line. Nothing else.
import { createReadStream } from 'node:fs';

let rest = '';
let lines = 0;
let bad = 0;
const parse = (line) => {
  if (!line.trim()) return;
  lines++;
  try { JSON.parse(line); } catch { bad++; }
};
const decoder = new TextDecoder();
for await (const chunk of createReadStream(process.argv[2], { highWaterMark: 1 << 20 })) {
  const text = rest + decoder.decode(chunk, { stream: true });
  const parts = text.split('\n');
  rest = parts.pop() ?? '';
  for (const p of parts) parse(p);
}
parse(rest + decoder.decode());
console.log(JSON.stringify({ lines, bad }));
