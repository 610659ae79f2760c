// Local ONNX generation for the trial chat and `finetune-studio generate`: createOnnxEngine starts a worker thread
// that loads the model folder (onnxruntime-node is loaded there, only then) and answers as a ChatEngine.
export { createOnnxEngine, defaultTemperature, type OnnxEngine, type OnnxEngineOptions } from './onnxEngine';
export { OnnxModelError, onnxMessage, onnxMessageKeys, type OnnxMessageKey } from './messages';
export { GRAPH_VARIANTS, type GraphVariant } from './modelFolder';
