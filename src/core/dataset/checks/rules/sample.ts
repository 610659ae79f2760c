// Runs the rules of a sample's format and returns its view (for duplicate and overlap keys).
import type { Findings } from '../findings';
import type { Layout } from '../../formats/layout';
import { checkAlpaca } from './alpaca';
import { checkChat } from './chat';
import { checkPromptCompletion, checkText } from './simple';
import type { SampleView } from './turn';
import type { Obj } from './values';

export function checkSample(sample: Obj, layout: Layout, out: Findings): SampleView | undefined {
  switch (layout.format) {
    case 'openai':
    case 'sharegpt':
      return checkChat(sample, layout, out);
    case 'alpaca':
      return checkAlpaca(sample, layout, out);
    case 'prompt_completion':
      return checkPromptCompletion(sample, out);
    case 'text':
      return checkText(sample, out);
  }
}
