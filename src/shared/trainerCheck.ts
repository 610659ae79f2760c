// What `python -m finetune_trainer check` prints (one JSON line). Python twin: trainer/finetune_trainer/check.py.
import * as z from 'zod';

export const TRAINER_PACKAGES = ['torch', 'transformers', 'peft', 'accelerate'] as const;

export const TrainerCheck = z.looseObject({
  python: z.string(),
  executable: z.string(),
  packages: z.record(z.string(), z.string().nullable()),
  cuda: z.looseObject({
    available: z.boolean(),
    devices: z.array(z.looseObject({ index: z.number().int(), name: z.string(), memory_gb: z.number().optional() })),
  }),
  bf16: z.boolean().optional(),
});
export type TrainerCheck = z.infer<typeof TrainerCheck>;

/** The packages the trainer needs that are missing. */
export function missingPackages(check: TrainerCheck): string[] {
  return TRAINER_PACKAGES.filter((p) => !check.packages[p]);
}
