/** Error messages are answered to clients: never longer than this, whatever they quote. */
export const MAX_MESSAGE_LENGTH = 300;

export function bounded(message: string): string {
  return message.length <= MAX_MESSAGE_LENGTH ? message : `${message.slice(0, MAX_MESSAGE_LENGTH - 1)}…`;
}
