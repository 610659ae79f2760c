// Tokens: counts with each base model's own tokenizer and chat template (in worker threads), the hover on a
// dataset line, and the statistics report. The lowest feature: it uses none of the others.
import * as vscode from 'vscode';
import type { Platform } from '../../platform/context';
import { registerCommands } from '../../platform/commands';
import { datasetDocument } from '../../platform/documents';
import { TokenService } from './service';
import { TokenHover } from './hover';
import { TokenStatsPanel } from './statsPanel';

export { NoTokenizerError, tokenErrorText, type TokenService } from './service';

export interface TokensApi {
  readonly service: TokenService;
}

export function registerTokens(platform: Platform): TokensApi {
  const service = platform.register(new TokenService(platform.config, platform.extensionPath));
  platform.register(vscode.languages.registerHoverProvider({ language: 'jsonl' }, new TokenHover(service)));
  registerCommands(platform, platform, {
    'finetune.showTokenStatistics': async (p: Platform, uri?: vscode.Uri) => {
      const doc = await datasetDocument(uri);
      return doc && TokenStatsPanel.show(p.extensionUri, service, doc, (s) => p.log.warn(s));
    },
  });
  return { service };
}
