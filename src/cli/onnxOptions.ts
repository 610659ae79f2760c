// The options `generate` and `serve` share (both run a local ONNX model): --variant, and the text for an option
// given without its value, from the ONNX catalogue in the reader's language.
import type { Locale } from '../core/dataset/types';
import { onnxMessage } from '../inference/onnx/messages';
import { GRAPH_VARIANTS, type GraphVariant } from '../inference/onnx/modelFolder';
import { usageMessage } from './usageMessages';

const nothing = (locale: Locale) => usageMessage(locale, 'nothing');

/** --variant fp16|quantized…: the handler parseArgs takes; `locale` is read when an error is said. */
export function variantOption(locale: () => Locale, set: (variant: GraphVariant) => void): (value: string | undefined) => string | undefined {
  return (v) => {
    const found = GRAPH_VARIANTS.find((x) => x === v);
    if (found) {
      set(found);
      return undefined;
    }
    const zh = locale() === 'zh-cn';
    return onnxMessage(locale(), 'cli.badNumber', { flag: '--variant', what: GRAPH_VARIANTS.join(zh ? '、' : ', '), value: v ?? nothing(locale()) });
  };
}

/** The error for an option written without its value. */
export function missingValueText(locale: Locale, flag: string): string {
  return onnxMessage(locale, 'cli.badNumber', { flag, what: locale === 'zh-cn' ? '一个值' : 'given a value', value: nothing(locale) });
}
