// English and Chinese texts of the deploy check (deployCheck.ts) and of deploying on a backend
// (src/backends/deploy): what the check finds before a server starts, and why a deployment failed.
import { messageCatalogue } from '../fillTemplate';

const en = {
  'check.loraRank': 'The adapter\'s LoRA rank {rank} is above vLLM\'s default limit of {limit}: the server is started with --max-lora-rank {rank}.',
  'check.modulesToSave': 'The adapter also trains {modules} (modules_to_save), which vLLM does not load with a LoRA adapter: deploy the merged model instead (export it as "merged" first).',
  'check.promptMethod': '{method} adapters cannot be served by vLLM: the trainer\'s own server (transformers) serves this model.',
  'check.templateDiffers': 'The served tokenizer\'s chat template differs from the one the job trained with (sha256 {served}… vs {trained}…): answers may be worse than in evaluation.',
  'check.templateUnknown': 'Whether the served chat template is the one the job trained with is unknown ({why}).',
  'check.noTemplate': 'The served tokenizer has no chat template, so chat requests cannot be rendered: serve a folder whose tokenizer_config.json or chat_template.jinja has one.',
  'check.tooLarge': 'The weights ({weights}) need about {needed} on the GPU, but the largest GPU there ({gpu}) has {memory}: the server will likely run out of memory.',
  'check.fits': 'The weights ({weights}) fit the GPU {gpu} ({memory}).',
  'check.memoryUnknown': 'Whether the model fits the GPU memory is unknown ({why}).',
  'check.noGpuVllm': 'vLLM needs a GPU and the backend has none: the trainer\'s own server runs on the CPU instead (slow for large models).',
  'check.cpuOnly': 'No GPU on the backend: the model is served on the CPU ({weights}), which is slow for anything but small models.',
  'why.noTrainedHash': 'the job did not record its template',
  'why.noServedHash': 'the served folder\'s template could not be read',
  'why.noWeights': 'no weight files found',
  'why.noGpuList': 'nvidia-smi did not answer',
  'why.slurmNode': 'Slurm picks the node when the job starts',

  'deploy.notReady': 'The server did not answer on 127.0.0.1:{port} within {seconds} s. Last lines of its log:\n{log}',
  'deploy.exited': 'The server ended (exit {code}) before it answered. Last lines of its log:\n{log}',
  'deploy.probeFailed': 'Could not probe {backend} before deploying (exit {code}): {detail}',
  'deploy.noAdapterConfig': '{folder} has no adapter_config.json or config.json: it is not a model or adapter folder.',
  'deploy.tunnelFailed': 'Could not open the SSH tunnel to 127.0.0.1:{port} on {backend}: {detail}',
  'deploy.unknownBackend': 'No backend named "{name}" in the finetune.backends setting.',
} as const;

export type DeployMessageKey = keyof typeof en;

const zhCn: Record<DeployMessageKey, string> = {
  'check.loraRank': '适配器的 LoRA 秩 {rank} 超过了 vLLM 的默认上限 {limit}：启动服务时会加上 --max-lora-rank {rank}。',
  'check.modulesToSave': '适配器还训练了 {modules}（modules_to_save），vLLM 加载 LoRA 适配器时不会加载它们：请改为部署合并后的模型（先以 "merged" 格式导出）。',
  'check.promptMethod': 'vLLM 无法提供 {method} 适配器：改由训练器自带的服务（`transformers`）提供此模型。',
  'check.templateDiffers': '所提供模型的分词器对话模板与任务训练时所用的不同（`sha256` {served}… 与 {trained}…）：回答可能比评估时差。',
  'check.templateUnknown': '无法确定所提供的对话模板是否与训练时所用的一致（{why}）。',
  'check.noTemplate': '所提供模型的分词器没有对话模板，无法渲染对话请求：请提供 tokenizer_config.json 或 chat_template.jinja 中带有模板的文件夹。',
  'check.tooLarge': '权重（{weights}）在 GPU 上约需 {needed}，但那里最大的 GPU（{gpu}）只有 {memory}：服务很可能会显存不足。',
  'check.fits': '权重（{weights}）放得进 GPU {gpu}（{memory}）。',
  'check.memoryUnknown': '无法确定模型是否放得进 GPU 显存（{why}）。',
  'check.noGpuVllm': 'vLLM 需要 GPU，而该后端没有：改由训练器自带的服务在 CPU 上运行（大模型会很慢）。',
  'check.cpuOnly': '该后端没有 GPU：模型（{weights}）将在 CPU 上提供服务，除小模型外都会很慢。',
  'why.noTrainedHash': '任务没有记录其模板',
  'why.noServedHash': '无法读取所提供文件夹中的模板',
  'why.noWeights': '没有找到权重文件',
  'why.noGpuList': '`nvidia-smi` 没有应答',
  'why.slurmNode': 'Slurm 在作业开始时才选定节点',

  'deploy.notReady': '服务在 {seconds} 秒内没有在 127.0.0.1:{port} 上应答。其日志的最后几行：\n{log}',
  'deploy.exited': '服务在应答之前就结束了（退出码 {code}）。其日志的最后几行：\n{log}',
  'deploy.probeFailed': '部署前无法探测 {backend}（退出码 {code}）：{detail}',
  'deploy.noAdapterConfig': '{folder} 中没有 adapter_config.json 或 config.json：它不是模型或适配器文件夹。',
  'deploy.tunnelFailed': '无法打开到 {backend} 上 127.0.0.1:{port} 的 SSH 隧道：{detail}',
  'deploy.unknownBackend': 'finetune.backends 设置中没有名为 "{name}" 的后端。',
};

const catalogue = messageCatalogue<DeployMessageKey>({ en, 'zh-cn': zhCn });
export const deployMessage = catalogue.message;
export const deployMessageKeys = catalogue.keys;
