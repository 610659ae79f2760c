// Whether a `.json` file is read as a dataset of records: LLaMA-Factory reads `.json` arrays named in its
// dataset_info.json. An array no entry names is still checked when its first record is plainly a sample (an
// object with a sample key), with a note that LLaMA-Factory needs it registered; an array of something else
// (VS Code's keybindings.json, say) is not a dataset.
import { namesFile } from './datasetInfo';
import { hasSampleKey } from './notDataset';
import { firstRecordText, isJsonArrayText } from '../parsing/jsonArray';

/** `registered`: named in dataset_info.json; `unregistered`: checked, with the note; `notSamples`: not a dataset. */
export type JsonArrayStatus = 'registered' | 'unregistered' | 'notSamples';

/** The status of a text as a JSON array dataset, or undefined when it is not a `.json` array (read line by line). */
export function jsonArrayStatus(text: string, fileName: string | undefined, datasetInfo: unknown, options: { strict?: boolean } = {}): JsonArrayStatus | undefined {
  if (!isJsonArrayText(text, fileName)) return undefined;
  if (namesFile(datasetInfo, fileName)) return 'registered';
  const first = firstRecordText(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  // No first record to judge by (an empty array, or one broken at its start): checked when a user named the file,
  // so they see why; `strict` (the editor, which sees every .json file opened) leaves it alone.
  const unjudged: JsonArrayStatus = options.strict ? 'notSamples' : 'unregistered';
  if (first === undefined) return unjudged;
  let value: unknown;
  try {
    value = JSON.parse(first);
  } catch {
    return unjudged;
  }
  return hasSampleKey(value) ? 'unregistered' : 'notSamples';
}
