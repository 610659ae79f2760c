import * as vscode from 'vscode';
import type { Locale } from '../core/dataset/types';

/** The locale for messages produced by src/core (which has its own catalogue, shared with the CLI). */
export function coreLocale(): Locale {
  return vscode.env.language.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en';
}
