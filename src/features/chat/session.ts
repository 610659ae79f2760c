// One trial-chat conversation and the models answering it: the state the page shows, every model answering each
// user message at once (each streaming into its own column), stop, regenerate, edit-and-continue, and the record
// written after each round of answers. No vscode here: the panel (chatPanel.ts) connects it to the page and the
// workspace, and the unit tests drive it directly.
import type { ChatEngine, GenerateParams } from '../../inference/engine';
import { messagesFor, newConversationId, sampleMessages, conversationFile, type ChatMessage } from '../../core/chat/conversation';
import { DEFAULT_CHAT_PARAMS, MAX_CHAT_MODELS, type ChatModelInfo, type ChatParams, type ChatState, type ChatTurn } from '../../shared/protocol/chat';

export interface SessionOutput {
  /** The whole state changed (a turn added, an answer ended, a model added...). */
  state(state: ChatState): void;
  /** A piece of an answer arrived. */
  piece(turn: number, model: string, text: string): void;
  /** Writes the conversation file's content (after each round of answers). */
  persist(conversationId: string, content: string): Promise<void>;
  /** A failure's text for the user (an engine's error message, said in their language where it can be). */
  describe(err: unknown): string;
}

interface Member {
  info: ChatModelInfo;
  engine: ChatEngine;
}

export class ChatSession {
  private members: Member[] = [];
  private turns: ChatTurn[] = [];
  private system = '';
  private params: ChatParams = DEFAULT_CHAT_PARAMS;
  private conversationId = newConversationId();
  private running: AbortController | undefined;
  private round: Promise<void> = Promise.resolve();
  private file: string | undefined;

  constructor(private readonly out: SessionOutput) {}

  get state(): ChatState {
    return {
      conversationId: this.conversationId, system: this.system, params: this.params, busy: this.running !== undefined,
      models: this.members.map((m) => m.info), turns: this.turns, ...(this.file ? { file: this.file } : {}),
    };
  }

  get models(): readonly ChatModelInfo[] {
    return this.members.map((m) => m.info);
  }

  /** Where the conversation file is said to be (relative to the workspace), shown on the page. */
  setFileLabel(file: string | undefined): void {
    this.file = file;
  }

  /** Resolves when the answers now streaming have ended (for tests and the integration API). */
  idle(): Promise<void> {
    return this.round;
  }

  /** Adds a model (false when 4 already answer, or one with this id does). */
  addModel(info: ChatModelInfo, engine: ChatEngine): boolean {
    if (this.members.length >= MAX_CHAT_MODELS || this.members.some((m) => m.info.id === info.id)) {
      void engine.dispose();
      return false;
    }
    this.members.push({ info, engine });
    this.publish();
    return true;
  }

  async removeModel(id: string): Promise<void> {
    const member = this.members.find((m) => m.info.id === id);
    if (!member || this.running) return;
    this.members = this.members.filter((m) => m !== member);
    for (const turn of this.turns) delete turn.answers[id];
    await member.engine.dispose();
    this.publish();
  }

  setSystem(text: string): void {
    this.system = text;
    this.publish();
  }

  setParams(params: ChatParams): void {
    this.params = params;
    this.publish();
  }

  /** A new user message: every model answers it. */
  send(text: string): Promise<void> {
    if (this.running || this.members.length === 0) return this.round;
    this.turns.push({ user: text, answers: {} });
    return this.answer(this.turns.length - 1);
  }

  /** Every model answers the last user message again. */
  regenerate(): Promise<void> {
    if (this.running || this.turns.length === 0) return this.round;
    return this.answer(this.turns.length - 1);
  }

  /** User message `turn` becomes `text`; what followed it goes, and every model answers it anew. */
  editTurn(turn: number, text: string): Promise<void> {
    if (this.running || turn >= this.turns.length) return this.round;
    this.turns = this.turns.slice(0, turn + 1);
    this.turns[turn] = { user: text, answers: {} };
    return this.answer(turn);
  }

  stop(): void {
    this.running?.abort();
  }

  /** A new conversation with the same models and settings; the old one stays in its file. */
  clear(): void {
    this.stop();
    this.turns = [];
    this.conversationId = newConversationId();
    this.publish();
  }

  /** The messages `model`'s last answer was generated from (the system prompt alone before any turn). */
  lastPromptOf(model: string): ChatMessage[] {
    return messagesFor(this.system, this.turns, model, Math.max(0, this.turns.length - 1));
  }

  /** The conversation as `model` answered it, as a training sample; undefined before it answered. */
  sampleOf(model: string): ChatMessage[] | undefined {
    return sampleMessages(this.system, this.turns, model);
  }

  engineOf(model: string): ChatEngine | undefined {
    return this.members.find((m) => m.info.id === model)?.engine;
  }

  async dispose(): Promise<void> {
    this.stop();
    await this.round.catch(() => undefined);
    await Promise.all(this.members.map((m) => m.engine.dispose()));
    this.members = [];
  }

  /** Every model answers user message `turn` at once; the round ends when the last one does. */
  private answer(turn: number): Promise<void> {
    const controller = new AbortController();
    this.running = controller;
    const target = this.turns[turn]!;
    const params: GenerateParams = {
      maxTokens: this.params.maxTokens, temperature: this.params.temperature, topP: this.params.topP,
      ...(this.params.stop.length > 0 ? { stop: this.params.stop } : {}),
    };
    for (const m of this.members) target.answers[m.info.id] = { text: '', status: 'streaming' };
    this.publish();
    const one = async ({ info, engine }: Member) => {
      const answer = target.answers[info.id]!;
      try {
        const result = await engine.generate(messagesFor(this.system, this.turns, info.id, turn), params, (piece) => {
          answer.text += piece;
          this.out.piece(turn, info.id, piece);
        }, controller.signal);
        // The engine's whole text is the answer (a stop string may have been held back from the pieces).
        target.answers[info.id] = {
          text: result.text,
          status: result.finishReason === 'cancelled' ? 'cancelled' : result.finishReason === 'length' ? 'length' : 'done',
          timeToFirstTokenMs: result.timeToFirstTokenMs,
          tokensPerSecond: result.tokensPerSecond,
        };
      } catch (err) {
        target.answers[info.id] = { text: answer.text, status: controller.signal.aborted ? 'cancelled' : 'failed', ...(controller.signal.aborted ? {} : { error: this.out.describe(err) }) };
      }
      this.publish();
    };
    this.round = Promise.all(this.members.map(one)).then(async () => {
      if (this.running === controller) this.running = undefined;
      this.publish();
      const content = conversationFile(this.system, this.turns, this.members.map((m) => m.info));
      if (content) await this.out.persist(this.conversationId, content);
    });
    return this.round;
  }

  private publish(): void {
    this.out.state(this.state);
  }
}
