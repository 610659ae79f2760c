// Time to first token and tokens per second, measured the same way for every engine of the trial chat.

export interface Timing {
  timeToFirstTokenMs: number;
  tokensPerSecond: number;
}

/**
 * From when the request started, when the first piece arrived (undefined: none did), when the answer ended, and
 * how many tokens it had. Tokens per second is the decoding rate after the first token (as vLLM's and llama.cpp's
 * benchmarks give it), so a slow prompt does not hide a fast model; with one token it is that token over the time.
 */
export function generationTiming(startMs: number, firstMs: number | undefined, endMs: number, tokens: number): Timing {
  if (firstMs === undefined || tokens <= 0) return { timeToFirstTokenMs: firstMs === undefined ? 0 : firstMs - startMs, tokensPerSecond: 0 };
  const decodeMs = endMs - firstMs;
  const tokensPerSecond = tokens > 1 && decodeMs > 0 ? ((tokens - 1) * 1000) / decodeMs : endMs > startMs ? (tokens * 1000) / (endMs - startMs) : 0;
  return { timeToFirstTokenMs: Math.max(0, firstMs - startMs), tokensPerSecond };
}
