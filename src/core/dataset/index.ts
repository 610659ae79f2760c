// The dataset linter's public surface (pure: runs in Node, a worker thread and the CLI).
export * from './types';
export { DatasetLinter, lintText, splitLines, DEFAULT_MAX_DIAGNOSTICS, DEFAULT_MAX_LINE_LENGTH, type LineDecodeInfo } from './checks/linter';
export { IncrementalLinter } from './checks/incremental';
export { Utf8LineSplitter, MAX_LINE_BYTES } from './parsing/utf8Lines';
export { convertToOpenAI, type ConvertOptions, type ConvertResult } from './formats/convert';
export { findOverlap, type OverlapHit } from './checks/overlap';
export { parseJsonLine, type JsonLineResult, type JsonNode, type JsonSyntaxError } from './parsing/jsonLine';
export { CODES, type Code } from './codes';
export { SIZE_GUIDANCE } from './checks/assembler';
export { fixAllTitle } from './checks/materialise';
