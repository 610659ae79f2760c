// Runs the rules of a sample's format and returns its view (for duplicate and overlap keys); then the media
// columns a dataset_info.json names against the tags in the text (FT036), as LLaMA-Factory's mm_plugin counts them.
import type { Findings } from '../findings';
import { MEDIA_TAGS, type Layout, type MediaKind } from '../../formats/layout';
import { checkAlpaca } from './alpaca';
import { checkChat } from './chat';
import { checkPromptCompletion, checkText } from './simple';
import type { SampleView } from './turn';
import { get, type Obj } from './values';

export function checkSample(sample: Obj, layout: Layout, out: Findings): SampleView | undefined {
  switch (layout.format) {
    case 'openai':
    case 'sharegpt':
    case 'alpaca': {
      const view = layout.format === 'alpaca' ? checkAlpaca(sample, layout, out) : checkChat(sample, layout, out);
      if (view && layout.media) checkMediaCounts(sample, layout.media, view, layout.ranking !== undefined, out);
      return view;
    }
    case 'prompt_completion':
      return checkPromptCompletion(sample, out);
    case 'text':
      return checkText(sample, out);
  }
}

/** FT036: as many files in each media column as its tag appears in the text (a ranked pair's answers not counted twice). */
function checkMediaCounts(sample: Obj, media: Partial<Record<MediaKind, string>>, view: SampleView, ranked: boolean, out: Findings): void {
  const parts = ranked ? view.parts.slice(0, -1) : view.parts;
  for (const [kind, key] of Object.entries(media) as [MediaKind, string][]) {
    const tag = MEDIA_TAGS[kind];
    const tags = parts.reduce((n, p) => n + countOf(p.text, tag), 0);
    const value = get(sample, key);
    const files = Array.isArray(value) ? value.length : value === undefined || value === null ? 0 : 1;
    if (tags !== files) out.add('FT036', { path: value === undefined ? [] : [key], key: value !== undefined }, 'media.count', { tags, tag, files, key, kind });
  }
}

function countOf(text: string, tag: string): number {
  let n = 0;
  for (let i = text.indexOf(tag); i !== -1; i = text.indexOf(tag, i + tag.length)) n++;
  return n;
}
