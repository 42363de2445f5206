import { STATUS_CODES, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../settings.js';
import { ownerOfUrl, type UnknownUrlOwner } from './framework-errors.js';

/**
 * What happens below the routes, on the connection: how long a client may take to send a request, and the
 * answer to a request Node's HTTP parser refuses before Fastify sees it (a control character in a header,
 * over 16 KiB of headers, a request that does not arrive in time).
 */

export type TimeoutSettings = Pick<Config, 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs'>;

/**
 * Node's server options for the timeouts, the same for the HTTP and the HTTPS listener. `requestTimeout`
 * bounds the whole request, headers and body, from its first byte: a client sending one body byte every few
 * seconds is cut off when it runs out, however steadily it sends. Node checks running requests every
 * `connectionsCheckingInterval` (30 s by default, far too coarse for timeouts of seconds), so the check runs
 * at a quarter of the shorter timeout, between 50 ms and 1 s. Node refuses a headers timeout longer than the
 * request timeout, so the headers timeout is at most the request timeout.
 */
export function serverTimeouts(t: TimeoutSettings): Required<Pick<ServerOptions, 'headersTimeout' | 'requestTimeout' | 'keepAliveTimeout' | 'connectionsCheckingInterval'>> {
  const headersTimeout = Math.min(t.headersTimeoutMs, t.requestTimeoutMs);
  return {
    headersTimeout,
    requestTimeout: t.requestTimeoutMs,
    keepAliveTimeout: t.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4))),
  };
}

interface ParserError extends Error {
  code?: string;
  reason?: string;
  /** The bytes the parser was reading (a Buffer at run time, whatever Fastify's types say). */
  rawPacket?: unknown;
}

/** The status and message for an error of Node's HTTP parser or its request timer. */
export function describeClientError(err: ParserError): { status: number; message: string } {
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, message: 'The request did not arrive in time' };
  if (err.code === 'HPE_HEADER_OVERFLOW') return { status: 431, message: 'The request headers are too large' };
  const why = typeof err.reason === 'string' && err.reason ? err.reason : 'the request could not be parsed';
  return { status: 400, message: `Malformed request: ${why}` };
}

/** The URL of the refused request: from the bytes the parser read, or the request Node had already begun. */
function requestUrl(err: ParserError, socket: Socket): string | undefined {
  const line = Buffer.isBuffer(err.rawPacket) ? /^[A-Z]+ (\S+) HTTP\/\d/.exec(err.rawPacket.toString('latin1', 0, 8192)) : null;
  if (line) return line[1];
  const pending = (socket as Socket & { _httpMessage?: { req?: { url?: string } } })._httpMessage;
  return pending?.req?.url;
}

/** The raw response: JSON naming the error and its status, plus the owning face's error header (Rackspace: x-error-message). */
export function clientErrorResponse(err: ParserError, url: string | undefined, owners: UnknownUrlOwner[]): string {
  const { status, message } = describeClientError(err);
  const body = JSON.stringify({ error: STATUS_CODES[status], message, statusCode: status });
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  const errorHeader = url ? ownerOfUrl(owners, url)?.errorHeader : undefined;
  if (errorHeader) lines.push(`${errorHeader}: ${message}`);
  return lines.join('\r\n') + '\r\n\r\n' + body;
}

/**
 * The server's 'clientError' listener (Fastify's clientErrorHandler, and the HTTPS listener's): answers and
 * closes the connection, as Node's own handler does, but with a body a client can read.
 */
export function clientErrorHandler(owners: () => UnknownUrlOwner[]) {
  return (err: ParserError, socket: Socket): void => {
    if ((err as NodeJS.ErrnoException).code === 'ECONNRESET' || socket.destroyed) return;
    const pending = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    // A response already under way cannot be followed by another on the same connection.
    if (socket.writable && !pending?.headersSent) socket.write(clientErrorResponse(err, requestUrl(err, socket), owners()));
    socket.destroy(err);
  };
}
