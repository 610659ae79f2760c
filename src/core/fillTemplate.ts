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
