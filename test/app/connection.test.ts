import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type AddressInfo } from 'node:net';
import { makeTestApp, type TestApp } from '../helpers/context.js';
import { buildFixture, type Fixture } from '../helpers/fixture.js';
import { signRackspaceRequest, rackspaceTimestamp } from '../../src/client/rackspace.js';
import { clientErrorResponse, serverTimeouts } from '../../src/http/connection.js';

/**
 * Issue 15, parts 4 and 5, on a listening server through raw sockets: requests Node's HTTP parser refuses
 * (a control character in a header, over 16 KiB of headers) and requests that do not arrive in time get
 * JSON naming the error with its status, plus x-error-message on a Rackspace URL; a client sending its body
 * one byte at a time is cut off with a 408 when the request timeout runs out. Nothing here measures time:
 * the tests assert what arrives and in which order (the 408, then the close, before the body was sent).
 */

interface Exchange {
  /** Everything the server sent. */
  text: string;
  /** 'data' (with the status line seen) and 'close', in the order they happened. */
  events: string[];
  /** Bytes this client wrote. */
  written: number;
}

/** Opens a connection, sends `head`, then (if given) one byte of `drip` at a time until the server closes. */
function exchange(port: number, head: string, drip?: { bytes: number; everyMs: number }): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const result: Exchange = { text: '', events: [], written: 0 };
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(head);
      result.written += Buffer.byteLength(head);
      if (!drip) return;
      let left = drip.bytes;
      timer = setInterval(() => {
        if (left-- <= 0 || socket.destroyed) return clearInterval(timer);
        socket.write('a');
        result.written++;
      }, drip.everyMs);
    });
    socket.on('data', (chunk) => {
      result.text += chunk.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(result.text)?.[1];
      if (result.events.at(-1) !== `data ${status}`) result.events.push(`data ${status}`);
    });
    socket.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
    socket.on('close', () => {
      clearInterval(timer);
      result.events.push('close');
      resolve(result);
    });
  });
}

function parse(text: string): { status: number; headers: Record<string, string>; body: any } {
  const [head, body] = text.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const l of lines) headers[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
  return { status: Number(statusLine.split(' ')[1]), headers, body: body ? JSON.parse(body) : undefined };
}

describe('connections: parser refusals and timeouts', () => {
  let t: TestApp;
  let fx: Fixture;
  let port: number;
  before(async () => {
    t = await makeTestApp('sqlite', { headersTimeoutMs: 500, requestTimeoutMs: 1000, keepAliveTimeoutMs: 2000 });
    fx = await buildFixture(t.ctx);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  after(async () => t?.close());

  const rackspaceHead = (method: string, path: string, extra = '') => {
    const userAgent = 'partnerhub-test';
    const signature = signRackspaceRequest({ ...fx.provisioning.rackspace, userAgent, timestamp: rackspaceTimestamp(t.clock.now()) });
    return `${method} ${path} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: ${userAgent}\r\nX-Api-Signature: ${signature}\r\nAccept: application/json\r\n${extra}`;
  };

  it('a control character in a header: 400 JSON, x-error-message on a Rackspace URL only', async () => {
    const rs = parse((await exchange(port, 'GET /v1/customers HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n')).text);
    assert.equal(rs.status, 400);
    assert.deepEqual([rs.body.statusCode, rs.body.error], [400, 'Bad Request']);
    assert.match(rs.body.message, /^Malformed request: /);
    assert.equal(rs.headers['x-error-message'], rs.body.message);
    const ccc = parse((await exchange(port, 'GET /api/services HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n')).text);
    assert.equal(ccc.status, 400);
    assert.equal(ccc.body.statusCode, 400);
    assert.equal(ccc.headers['x-error-message'], undefined);
  });

  it('over 16 KiB of headers: 431 JSON with x-error-message on a Rackspace URL', async () => {
    const res = parse((await exchange(port, `GET /v2/customers/me/contacts HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`)).text);
    assert.equal(res.status, 431);
    assert.deepEqual([res.body.statusCode, res.body.error], [431, 'Request Header Fields Too Large']);
    assert.equal(res.headers['x-error-message'], 'The request headers are too large');
  });

  it('a body sent one byte at a time is cut off with 408 when the request timeout runs out', async () => {
    const bodyLength = 10_000;
    const head = rackspaceHead('POST', '/v1/customers', `Content-Type: application/json\r\nContent-Length: ${bodyLength}\r\n\r\n{`);
    const ex = await exchange(port, head, { bytes: bodyLength, everyMs: 100 });
    // The server answered 408 and then closed, while the client still had most of its body to send.
    assert.deepEqual(ex.events, ['data 408', 'close']);
    assert.ok(ex.written < Buffer.byteLength(head) + bodyLength);
    const res = parse(ex.text);
    assert.deepEqual([res.body.statusCode, res.body.error], [408, 'Request Timeout']);
    assert.equal(res.headers['x-error-message'], 'The request did not arrive in time');
    assert.equal(res.headers.connection, 'close');
  });

  it('headers sent one byte at a time are cut off with 408 when the headers timeout runs out', async () => {
    const ex = await exchange(port, 'GET /api/services HTTP/1.1\r\nHost: x\r\nX-Slow: ', { bytes: 100_000, everyMs: 50 });
    assert.deepEqual(ex.events, ['data 408', 'close']);
    assert.equal(parse(ex.text).body.statusCode, 408);
  });

  it('an idle keep-alive connection is closed by the server after the keep-alive timeout it announces', async () => {
    const ex = await exchange(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    // The client never closes: the server does, after answering.
    assert.deepEqual(ex.events, ['data 200', 'close']);
    assert.equal(parse(ex.text).headers['keep-alive'], 'timeout=2');
  });

  it('the headers timeout is at most the request timeout; Node checks often enough for short timeouts', () => {
    assert.deepEqual(serverTimeouts({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5000 }), {
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 5000,
      connectionsCheckingInterval: 1000,
    });
    const short = serverTimeouts({ headersTimeoutMs: 60_000, requestTimeoutMs: 400, keepAliveTimeoutMs: 100 });
    assert.equal(short.headersTimeout, 400);
    assert.equal(short.connectionsCheckingInterval, 100);
  });

  it('the raw answer names the error and its status', () => {
    const text = clientErrorResponse(Object.assign(new Error('x'), { code: 'HPE_INVALID_METHOD', reason: 'Invalid method encountered' }), undefined, []);
    const res = parse(text);
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { error: 'Bad Request', message: 'Malformed request: Invalid method encountered', statusCode: 400 });
    assert.equal(Number(res.headers['content-length']), Buffer.byteLength(JSON.stringify(res.body)));
  });
});
