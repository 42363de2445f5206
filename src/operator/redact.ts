/**
 * What the request journal keeps of a request and its response, with every secret replaced as the logs
 * replace them (REDACT_PATHS in src/app.ts): signatures and authorization headers, cookies, keys, passwords,
 * tokens and security answers, wherever they appear (headers, query, JSON and form bodies, XML elements).
 */

export const REDACTED = '[redacted]';

/** Names whose values are secrets. Paging tokens are not: a client's next-page cursor is what a test checks. */
const SECRET_NAME = /authorization|signature|cookie|secret|passw|apikey|api_key|api-key|appkey|app_key|app-key|accesskey|access_key|token|securityanswer|security_answer|privatekey|^key$/i;
const NOT_SECRET = /^(next)?pagetoken$/i;
/**
 * Every secret name holds one of these: a text without any of them, and without an escape that could
 * spell one (`%61`, `\u0061`), has nothing to redact.
 */
const SECRET_PART = /authorization|signature|cookie|secret|passw|key|token|securityanswer|security_answer|%[0-9a-f]{2}|\\u[0-9a-f]{4}/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET.test(name);
}

/** A JSON-like value with the values of secret-named keys replaced, at any depth. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretName(k) ? REDACTED : redactValue(v, depth + 1);
  return out;
}

export function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = isSecretName(k) ? REDACTED : v;
  return out;
}

const XML_ELEMENT = /<([A-Za-z_][\w.-]*)(\s[^>]*)?>([^<]*)<\/\1>/g;
const FORM_PAIR = /(^|&)([^=&]+)=([^&]*)/g;

/** A body as text (a response payload, an unparsed request): JSON, XML or a form, each redacted in its own terms. */
export function redactText(text: string, maxChars: number): string {
  // Most payloads (a page of 25 services is 15 kB) name no secret: one scan instead of a parse and a rewrite.
  if (!SECRET_PART.test(text)) return clip(text, maxChars);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return clip(JSON.stringify(redactValue(JSON.parse(text))), maxChars);
    } catch {
      // Not JSON after all (JSONP, a truncated body): fall through to the textual rules.
    }
  }
  let out = text.replace(XML_ELEMENT, (all, name: string, attrs: string | undefined) => (isSecretName(name) ? `<${name}${attrs ?? ''}>${REDACTED}</${name}>` : all));
  if (!trimmed.startsWith('<')) out = out.replace(FORM_PAIR, (all, sep: string, name: string) => (isSecretName(decodeSafe(name)) ? `${sep}${name}=${REDACTED}` : all));
  // A JSON value inside something else (a JSONP callback): "secretKey":"…".
  out = out.replace(/"([^"\\]{1,64})"\s*:\s*"(?:[^"\\]|\\.)*"/g, (all, name: string) => (isSecretName(name) ? `"${name}":"${REDACTED}"` : all));
  return clip(out, maxChars);
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function clip(text: string, maxChars: number): string {
  return text.length > maxChars ? `${text.slice(0, maxChars)}…[${text.length - maxChars} more characters]` : text;
}
