// What every `finetune-studio job` sub-command works with: the terminal, its language, Ctrl+C, the backends.
import type { CliBackends } from './backends';
import type { FollowContext } from './follow';

export interface JobCommandContext extends FollowContext {
  backends: CliBackends;
  /** The Python that runs the trainer on this machine (--python, $FINETUNE_TRAINER_PYTHON, python3). */
  python(option?: string): string;
}
