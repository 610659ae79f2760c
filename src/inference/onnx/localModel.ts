// A loaded local model: the folder's tokenizer and chat template (the token statistics' own code, so the prompt the
// chat shows is the one counted and trained on), the onnxruntime session and its plan. Runs generation in the
// thread that loaded it (the generate worker); onnxruntime-node is imported only here, when a model is loaded.
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type * as Ort from 'onnxruntime-node';
import type { ChatMessage, GenerateParams, GenerateResult, RenderedPrompt } from '../engine';
import { openTokenizerFolder, TokenizerFolderError, type HfTokenizer } from '../../core/tokens/tokenizerFolder';
import type { ChatTemplate } from '../../core/tokens/chatTemplate';
import { TemplateLimitError } from '../../core/tokens/templateRun';
import { readModelFolder, type GenerationDefaults, type GraphVariant, type ModelFolder } from './modelFolder';
import { planGraph, type GraphPlan } from './graphPlan';
import { DecoderSteps, type OrtModule } from './decoderSession';
import { AnswerText } from './answerText';
import { pickToken, seededRandom } from './sampling';
import { OnnxModelError, onnxError } from './messages';
import { generationTiming } from '../generationTiming';

export interface LoadOptions {
  variant?: GraphVariant;
  /** onnxruntime's intra-op threads (default: one per core but one). */
  threads?: number;
}

export interface LoadedModelInfo {
  name: string;
  dir: string;
  graphFile: string;
  /** Whether the graph has a key/value cache (otherwise each step recomputes the sequence). */
  cached: boolean;
  generation: GenerationDefaults;
  templateHash: string | undefined;
}

export class LocalModel {
  private constructor(
    readonly info: LoadedModelInfo,
    private readonly ort: OrtModule,
    private readonly session: Ort.InferenceSession,
    private readonly plan: GraphPlan,
    private readonly tokenizer: HfTokenizer,
    private readonly template: ChatTemplate | undefined,
    private readonly folder: ModelFolder,
    private readonly maxPositions: number | undefined,
  ) {}

  /** Reads the folder, loads its tokenizer and graph, checks the graph's inputs. Throws OnnxModelError. */
  static async load(ref: string, cwd: string, options: LoadOptions = {}): Promise<LocalModel> {
    const folder = await readModelFolder(ref, cwd, options.variant);
    let opened: Awaited<ReturnType<typeof openTokenizerFolder>>;
    try {
      opened = await openTokenizerFolder(folder.dir, cwd, { requireChatTemplate: true });
    } catch (err) {
      if (err instanceof TokenizerFolderError) throw new OnnxModelError('tokens', err.key, err.params);
      throw err;
    }
    const ort = (await import('onnxruntime-node')) as OrtModule;
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(folder.graphFile, {
        graphOptimizationLevel: 'all',
        // One core left to the extension host, and no spinning: onnxruntime's threads otherwise busy-wait between
        // steps, and on a small machine the host's event loop then waits for a core (a 237 ms stall on 2 cores).
        intraOpNumThreads: options.threads ?? Math.max(1, availableParallelism() - 1),
        interOpNumThreads: 1,
        extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
      });
    } catch (err) {
      throw onnxError('model.invalidGraph', { file: folder.graphFile, problem: err instanceof Error ? err.message : String(err) });
    }
    const info = (m: Ort.InferenceSession.ValueMetadata) => ({ name: m.name, isTensor: m.isTensor, ...(m.isTensor ? { type: m.type, shape: m.shape } : {}) });
    let plan: GraphPlan;
    try {
      plan = planGraph(folder.graphFile, session.inputMetadata.map(info), session.outputMetadata.map(info), folder.config, folder.configFile);
    } catch (err) {
      await session.release();
      throw err;
    }
    const eosToken = opened.folder.specialTokens['eos_token'];
    const eosId = typeof eosToken === 'string' ? opened.tokenizer.token_to_id(eosToken) : undefined;
    const generation = { ...folder.generation, eosTokenIds: [...new Set([...folder.generation.eosTokenIds, ...(eosId !== undefined ? [eosId] : [])])] };
    const source = opened.folder.templates['default'] ?? Object.values(opened.folder.templates)[0];
    const maxPositions = folder.config['max_position_embeddings'];
    return new LocalModel(
      { name: folder.name, dir: folder.dir, graphFile: folder.graphFile, cached: plan.cache !== undefined, generation, templateHash: source === undefined ? undefined : sha256(source) },
      ort, session, plan, opened.tokenizer, opened.template, { ...folder, generation }, typeof maxPositions === 'number' ? maxPositions : undefined,
    );
  }

  /** The prompt exactly as the model receives it: the chat template with the generation prompt, and its token ids. */
  render(messages: readonly ChatMessage[]): RenderedPrompt & { ids: number[] } {
    if (!this.template) throw new OnnxModelError('tokens', 'folder.noChatTemplate', { dir: this.folder.dir });
    let text: string;
    try {
      text = this.template.render(messages, { tools: null, addGenerationPrompt: true });
    } catch (err) {
      if (err instanceof TemplateLimitError) throw new OnnxModelError('tokens', err.key, err.params);
      throw err;
    }
    // apply_chat_template(tokenize=True) encodes without adding special tokens: the template writes its own.
    const ids = this.tokenizer.encode(text, { add_special_tokens: false }).ids;
    return { text, tokens: ids.length, ids, ...(this.info.templateHash ? { templateHash: this.info.templateHash } : {}) };
  }

  /**
   * Generates an answer to `messages`, streaming it through `onText`. `isCancelled` is asked between steps; a
   * cancelled run ends with what it has, finishReason 'cancelled'.
   */
  async generate(messages: readonly ChatMessage[], params: GenerateParams, onText: (piece: string) => void, isCancelled: () => boolean = () => false): Promise<GenerateResult> {
    const started = performance.now();
    const prompt = this.render(messages);
    if (prompt.ids.length === 0) throw onnxError('model.emptyPrompt');
    let maxTokens = Math.max(0, Math.floor(params.maxTokens));
    if (this.maxPositions !== undefined) {
      if (prompt.ids.length >= this.maxPositions) throw onnxError('model.promptTooLong', { tokens: prompt.ids.length, max: this.maxPositions });
      maxTokens = Math.min(maxTokens, this.maxPositions - prompt.ids.length);
    }
    const defaults = this.info.generation;
    const sampling = {
      temperature: params.temperature,
      topP: params.topP ?? (params.temperature > 0 ? defaults.topP : undefined),
      topK: params.topK ?? (params.temperature > 0 ? defaults.topK : undefined),
      repetitionPenalty: params.repetitionPenalty ?? defaults.repetitionPenalty,
    };
    const random = seededRandom(params.seed ?? Date.now());
    const eos = new Set(defaults.eosTokenIds);
    const seen = new Set(prompt.ids);
    const answer = new AnswerText((ids) => this.tokenizer.decode(ids, { skip_special_tokens: true }), params.stop ?? []);
    const steps = new DecoderSteps(this.ort, this.session, this.plan, this.folder.graphFile);
    const tokens: number[] = [];
    let firstTokenAt: number | undefined;
    let finishReason: GenerateResult['finishReason'] = 'length';
    let next: readonly number[] = prompt.ids;
    while (tokens.length < maxTokens) {
      if (isCancelled()) {
        finishReason = 'cancelled';
        break;
      }
      const logits = await steps.step(next);
      const id = pickToken(logits, seen, sampling, random);
      firstTokenAt ??= performance.now();
      if (eos.has(id)) {
        finishReason = 'stop';
        break;
      }
      tokens.push(id);
      seen.add(id);
      const piece = answer.push(id);
      if (piece) onText(piece);
      if (answer.stopped) {
        finishReason = 'stop';
        break;
      }
      next = [id];
    }
    if (finishReason !== 'stop' || !answer.stopped) {
      const rest = answer.finish();
      if (rest) onText(rest);
    }
    const timing = generationTiming(started, firstTokenAt, performance.now(), tokens.length);
    return { text: answer.answer, finishReason, tokens, promptTokens: prompt.ids.length, ...timing };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
