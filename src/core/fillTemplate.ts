import type { Locale } from './dataset/types';
import { safeParam } from './messageText';

/** Placeholder values for a catalogue message. */
export type TemplateParams = Record<string, string | number>;

/**
 * Fills `{name}` placeholders from `params`; a placeholder without a value stays as written. Values pass through
 * safeParam: dataset text is shortened, control characters are escaped.
 */
export function fillTemplate(template: string, params: TemplateParams = {}, locale: Locale = 'en'): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(safeParam(name, params[name], locale)) : whole));
}

/**
 * A message catalogue's lookups: `message(locale, key, params)`, the text in that language with its placeholders
 * filled, and `keys()`, every key (for the tests that each language has each).
 */
export function messageCatalogue<K extends string>(catalogues: Record<Locale, Record<K, string>>) {
  return {
    message: (locale: Locale, key: K, params: TemplateParams = {}): string => fillTemplate(catalogues[locale][key], params, locale),
    keys: (): K[] => Object.keys(catalogues.en) as K[],
  };
}
