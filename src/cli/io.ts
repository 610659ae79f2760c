import type { Locale } from '../core/dataset/types';

/** What a CLI command may touch: injected so commands can be run and tested in-process too. */
export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  locale: Locale;
  cwd: string;
}

/** zh* in LC_ALL / LC_MESSAGES / LANG selects Chinese; everything else English. */
export function localeFromEnv(env: NodeJS.ProcessEnv): Locale {
  const lang = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return lang.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en';
}
