// Defaults of the hyperparameters the Start Job form does not recommend: the spec schema (jobSpec.ts) applies them,
// and the form shows them as its fields' placeholders. A file of its own so the form's bundle does not take the schema.
export const HYPERPARAMETER_DEFAULTS = { loraRank: 8, loraAlpha: 16, loraDropout: 0.05, virtualTokens: 20 } as const;
