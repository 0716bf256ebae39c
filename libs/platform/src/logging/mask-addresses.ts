/** URLs, with or without credentials (`redis://:password@cache:6379`, `postgres://app:pw@db/bnpl`). */
const URL_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s)"'<>,]+/gi;
/**
 * Network addresses as drivers write them (`connect ECONNREFUSED 10.0.0.5:5432`, `getaddrinfo ENOTFOUND
 * db.internal`, `[::1]:6379`, `localhost:6379`): IPv4, bracketed IPv6, localhost, and dotted names whose
 * last label starts with a letter and has two characters at least, as every top-level domain does (so
 * `0.5s` and the `e.g.` of a message are left alone), each with an optional port and path.
 */
const ADDRESS = /\b(?:\d{1,3}(?:\.\d{1,3}){3}|localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z][a-z0-9-]+)(?::\d{1,5})?(?:\/[\w.-]*)?|\[[0-9a-f:.]+\](?::\d{1,5})?/gi;

/**
 * An error message as an answer may carry it when a dependency failed (503 / UNAVAILABLE bodies, readiness
 * details): URLs (and any password in them) and network addresses replaced by `<url>` and `<address>`.
 * Logs may name hosts, answers never: a driver's message (`connect ECONNREFUSED 10.0.0.5:5432`) ends up in
 * an error's message through the layers that wrap it.
 */
export function maskAddresses(message: string): string {
  if (!/[.:/[]|localhost/i.test(message)) return message;
  return message.replace(URL_TEXT, '<url>').replace(ADDRESS, '<address>');
}
