// The local OpenAI-compatible server (issue 14, "Deploy → Locally"): startChatServer over one ChatEngine.
export { startChatServer, type ChatServer, type ChatServerOptions } from './chatServer';
export { newToken } from './httpParts';
export { serverMessage, serverMessageKeys, type ServerMessageKey } from './messages';
