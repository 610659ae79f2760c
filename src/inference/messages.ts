// English and Chinese texts of the endpoint client's errors (src/inference/openaiClient.ts): Evaluate Endpoint shows
// them to the user and keeps them in the run's eval.json.
import { messageCatalogue } from '../core/fillTemplate';

const en = {
  'http': 'HTTP {status} from {url}: {detail}',
  'notJson': 'the answer from {url} is not JSON: {detail}',
  'noContent': 'the response has no choices[0].message.content: {detail}',
  'unreachable': 'cannot reach {url}: {cause}',
  'attempts': '{message} (after {attempts} attempts)',
  'tooLarge': 'the answer from {url} is {size}, more than the {limit} an answer may take: refused, not retried',
  'tooLargeRead': 'the answer from {url} went on past the {limit} an answer may take: reading stopped, refused, not retried',
  'crossOrigin': '{url} redirected (HTTP {status}) to another origin, {target}: not followed, so nothing is sent to {to} and no answer of it is scored (from {from})',
  'redirects': '{url} redirected more than {max} times: not followed further',
  'notFound': '{url} answered 404 (not found): check that the base URL goes up to /v1 and that the server offers chat completions ({detail})',
  'html': '{url} answered with a web page, not a chat completion: check the base URL (up to /v1) ({detail})',
  'notStream': '{url} answered {type}, neither an event stream nor JSON: {detail}',
  'stalled': '{url} sent nothing for {seconds} s: the answer was given up (a stalled stream)',
  'streamError': 'the server reported an error in the stream from {url}: {detail}',
  'badEvent': 'an event in the stream from {url} is not JSON: {detail}',
} as const;

export type EndpointMessageKey = keyof typeof en;

const zhCn: Record<EndpointMessageKey, string> = {
  'http': '{url} 返回 HTTP {status}：{detail}',
  'notJson': '{url} 的回答不是 JSON：{detail}',
  'noContent': '回答中没有 choices[0].message.content：{detail}',
  'unreachable': '无法连接 {url}：{cause}',
  'attempts': '{message}（共尝试 {attempts} 次）',
  'tooLarge': '{url} 的回答大小为 {size}，超过了单个回答的上限 {limit}：已拒绝，不会重试',
  'tooLargeRead': '{url} 的回答超过了单个回答的上限 {limit}：已停止读取并拒绝，不会重试',
  'crossOrigin': '{url} 重定向（HTTP {status}）到了另一个源 {target}：未跟随，不会向 {to} 发送任何内容，也不会对它的回答评分（原来的源是 {from}）',
  'redirects': '{url} 重定向超过 {max} 次：不再跟随',
  'notFound': '{url} 返回 404（未找到）：请检查基础 URL 是否写到 /v1 为止，以及服务器是否提供聊天补全接口 /chat/completions（{detail}）',
  'html': '{url} 返回的是一个网页，而不是聊天回答：请检查基础 URL（写到 /v1 为止）（{detail}）',
  'notStream': '{url} 返回的是 {type}，既不是事件流也不是 JSON：{detail}',
  'stalled': '{url} 已有 {seconds} 秒没有发送任何内容：已放弃这次回答（流已停滞）',
  'streamError': '{url} 在流中报告了错误：{detail}',
  'badEvent': '{url} 的流中有一个事件不是 JSON：{detail}',
};

const catalogue = messageCatalogue<EndpointMessageKey>({ en, 'zh-cn': zhCn });

/** The text for `key` in `locale`, with `{name}` placeholders filled from `params`. */
export const endpointMessage = catalogue.message;
/** Every key (for the test that both languages have each). */
export const endpointMessageKeys = catalogue.keys;

/** A byte count as people read it: 16 MiB, 3.2 MiB, 512 KiB, 900 B. */
export function byteSize(bytes: number): string {
  if (bytes >= 1 << 20) return `${+(bytes / (1 << 20)).toFixed(1)} MiB`;
  if (bytes >= 1 << 10) return `${+(bytes / (1 << 10)).toFixed(1)} KiB`;
  return `${bytes} B`;
}
