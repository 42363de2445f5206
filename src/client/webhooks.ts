import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Verifying partnerhub's webhook deliveries (public: receivers use it). Each delivery is a POST of a JSON
 * event with the header
 *
 *     Partnerhub-Signature: t=1767225600,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd
 *
 * where `v1` is the hex HMAC-SHA256, keyed with the subscription's secret (`whsec_…`), of the timestamp, a
 * dot and the raw body exactly as received: `${t}.${body}`. Check it against the raw bytes (before any JSON
 * parsing), compare in constant time, and refuse old timestamps so a captured delivery cannot be replayed.
 */
export interface VerifyOptions {
  /** The raw request body. */
  body: string | Buffer;
  /** The Partnerhub-Signature header. */
  signature: string | string[] | undefined;
  secret: string;
  /** Oldest accepted signature, in seconds (default 300). */
  toleranceSeconds?: number;
  /** Now, in ms (default Date.now()). */
  now?: number;
}

export class WebhookVerificationError extends Error {}

/** Returns the parsed event when the signature is right and fresh; throws WebhookVerificationError otherwise. */
export function verifyWebhook<T = unknown>(options: VerifyOptions): T {
  const header = Array.isArray(options.signature) ? options.signature[0] : options.signature;
  if (!header) throw new WebhookVerificationError('no Partnerhub-Signature header');
  const parts = new Map<string, string[]>();
  for (const item of header.split(',')) {
    const i = item.indexOf('=');
    if (i > 0) parts.set(item.slice(0, i).trim(), [...(parts.get(item.slice(0, i).trim()) ?? []), item.slice(i + 1).trim()]);
  }
  const t = Number(parts.get('t')?.[0]);
  if (!Number.isInteger(t)) throw new WebhookVerificationError('the signature has no timestamp');
  const tolerance = options.toleranceSeconds ?? 300;
  const now = options.now ?? Date.now();
  if (Math.abs(now / 1000 - t) > tolerance) throw new WebhookVerificationError('the signature is too old (or from the future)');
  const body = Buffer.isBuffer(options.body) ? options.body.toString('utf8') : options.body;
  const expected = createHmac('sha256', options.secret).update(`${t}.${body}`, 'utf8').digest();
  const matches = (parts.get('v1') ?? []).some((v) => {
    const given = Buffer.from(v, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw new WebhookVerificationError('the signature does not match');
  return JSON.parse(body) as T;
}
