// English and Chinese texts of the local OpenAI-compatible server: the errors it answers with (the `error.message` of
// a 4xx/5xx body) and what `finetune-studio serve` prints.
import { messageCatalogue } from '../../core/fillTemplate';

const en = {
  'http.unauthorized': 'missing or wrong bearer token: send the header "Authorization: Bearer <token>" with the token the server printed (or keeps in its token file)',
  'http.notFound': 'no such path: {path} (this server offers GET /v1/models and POST /v1/chat/completions)',
  'http.method': '{path} takes {allowed}, not {method}',
  'http.tooLarge': 'the request body is larger than {limit}',
  'http.notJson': 'the request body is not JSON: {problem}',
  'http.badField': '{param}: {problem}',
  'http.busy': 'the server is busy: {queued} requests are already waiting for the model; try again shortly',
  'http.badPrompt': 'the model cannot answer these messages: {problem}',
  'http.failed': 'the model failed to answer: {problem}',
  'http.stopping': 'the server is stopping',

  'cli.serving': 'Serving {model} (OpenAI-compatible) at',
  'cli.tokenGenerated': 'Token (shown once; pass --token-file to keep one):',
  'cli.tokenCreated': 'Token written to {file} (readable by you only).',
  'cli.tokenRead': 'Token read from {file}.',
  'cli.stopHint': 'Press Ctrl+C to stop.',
  'cli.stopped': 'Stopped.',
  'cli.badTokenFile': 'cannot use the token file {file}: {problem}',
  'cli.shortToken': 'the token in {file} has {length} characters: use at least {min} (or delete the file to have one generated)',
  'cli.portInUse': 'port {port} on 127.0.0.1 is in use: pick another with --port (or --port 0 for any free one)',
  'cli.listenFailed': 'cannot listen on 127.0.0.1:{port}: {problem}',
} as const;

export type ServerMessageKey = keyof typeof en;

const zhCn: Record<ServerMessageKey, string> = {
  'http.unauthorized': '缺少令牌或令牌错误：请发送请求头 `Authorization: Bearer <令牌>`，令牌为服务器打印的（或保存在其令牌文件中的）那个',
  'http.notFound': '没有这个路径：{path}（本服务器提供 `GET /v1/models` 和 `POST /v1/chat/completions`）',
  'http.method': '{path} 只接受 {allowed}，不接受 {method}',
  'http.tooLarge': '请求体超过了 {limit}',
  'http.notJson': '请求体不是 JSON：{problem}',
  'http.badField': '{param}：{problem}',
  'http.busy': '服务器正忙：已有 {queued} 个请求在等待模型；请稍后再试',
  'http.badPrompt': '模型无法回答这些消息：{problem}',
  'http.failed': '模型未能回答：{problem}',
  'http.stopping': '服务器正在停止',

  'cli.serving': '正在提供 {model}（兼容 OpenAI 接口），地址',
  'cli.tokenGenerated': '令牌（只显示这一次；用 --token-file 可保存）：',
  'cli.tokenCreated': '令牌已写入 {file}（仅你本人可读）。',
  'cli.tokenRead': '令牌读自 {file}。',
  'cli.stopHint': '按 `Ctrl+C` 停止。',
  'cli.stopped': '已停止。',
  'cli.badTokenFile': '无法使用令牌文件 {file}：{problem}',
  'cli.shortToken': '{file} 中的令牌只有 {length} 个字符：至少需要 {min} 个（或删除该文件以自动生成）',
  'cli.portInUse': '127.0.0.1 上的端口 {port} 已被占用：请用 --port 换一个（或用 --port 0 任选空闲端口）',
  'cli.listenFailed': '无法监听 127.0.0.1:{port}：{problem}',
};

const catalogue = messageCatalogue<ServerMessageKey>({ en, 'zh-cn': zhCn });
export const serverMessage = catalogue.message;
export const serverMessageKeys = catalogue.keys;
