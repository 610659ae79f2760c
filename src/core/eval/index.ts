export * from './schema';
export { EvalRunFiles, EVALS_DIR, createEvalRun, listEvalRuns, modelIdFor, newEvalId } from './store';
export { answeredByIndex, predictionLine, predictionsText, readStoredPredictions, type StoredPrediction } from './predictions';
export { baseModelOf, deltaOf, dropsAgainstBase, metricValues, summariseRun, type MetricValues, type ModelSummary } from './compare';
export { buildDetail } from './detail';
export { withAddedModel, alignmentOf, type Alignment } from './addModel';
export { sharedPromptPrefix, withoutShared } from './sharedPrompt';
