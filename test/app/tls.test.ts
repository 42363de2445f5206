import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { ensureSelfSigned, loadTls } from '../../src/tls.js';
import { httpsListener, type HttpsListener } from '../../src/http/https-listener.js';
import { makeTestApp, type TestApp } from '../helpers/context.js';
import { parseDemoCredentials } from '../../src/demo/credentials.js';

/**
 * Issue 15, part 1: `serve --tls-self-signed` generates a local CA and a certificate for localhost, 127.0.0.1
 * and ::1 once, reuses them, prints how clients trust the CA, and serves HTTPS beside HTTP. A client that
 * verifies against the generated CA connects; one that does not know the CA is refused.
 */

const run = promisify(execFile);

function get(url: string, options: { ca?: string; servername?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca: options.ca, servername: options.servername }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function hasJava(): boolean {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
    execFileSync('keytool', ['-help'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The seed's Java sample (seed 000): a signed Mimecast call over HttpsURLConnection, with java.util.Base64 instead of commons-codec. */
const JAVA_SAMPLE = `
public class TlsSample {
  public static void main(String[] a) throws Exception {
    String url = a[0], uri = "/api/account/get-support-info", accessKey = a[1], secretKey = a[2], appId = a[3], appKey = a[4];
    String guid = java.util.UUID.randomUUID().toString();
    java.text.SimpleDateFormat sdf = new java.text.SimpleDateFormat("EEE, d MMM yyyy HH:mm:ss z", java.util.Locale.US);
    sdf.setTimeZone(java.util.TimeZone.getTimeZone("UTC"));
    String date = sdf.format(new java.util.Date());
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
    mac.init(new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(secretKey), "HmacSHA1"));
    String sig = java.util.Base64.getEncoder().encodeToString(mac.doFinal((date + ":" + guid + ":" + uri + ":" + appKey).getBytes()));
    javax.net.ssl.HttpsURLConnection con = (javax.net.ssl.HttpsURLConnection) new java.net.URL(url + uri).openConnection();
    con.setRequestMethod("POST");
    con.setDoOutput(true);
    con.setRequestProperty("Authorization", "MC " + accessKey + ":" + sig);
    con.setRequestProperty("x-mc-req-id", guid);
    con.setRequestProperty("x-mc-app-id", appId);
    con.setRequestProperty("x-mc-date", date);
    con.setRequestProperty("Content-Type", "application/json");
    con.setRequestProperty("Accept", "application/json");
    java.io.OutputStream os = con.getOutputStream();
    os.write("{\\n \\"data\\": [\\n ]\\n}".getBytes("UTF-8"));
    os.close();
    java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(con.getInputStream()));
    StringBuilder response = new StringBuilder();
    for (String line; (line = in.readLine()) != null; ) response.append(line);
    System.out.println(con.getResponseCode() + " " + response);
  }
}
`;

describe('serve --tls-self-signed', () => {
  let dir: string;
  let server: RunningServer | undefined;
  let config: Config;
  const printed: string[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'partnerhub-tls-'));
    // As the CLI passes them: commander's keys for --tls-self-signed and --tls-port.
    config = loadConfig({ port: 0, dataDir: dir, logLevel: 'silent', tlsSelfSigned: true, tlsPort: '0' } as never, { PARTNERHUB_SCHEDULER_INTERVAL_MS: '0' });
    server = await startServer(config, { demo: true, print: (line) => printed.push(line) });
  });
  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const caFile = () => join(dir, 'tls', 'ca.pem');
  const httpsPort = () => new URL(server!.httpsUrl!).port;

  it('serves HTTPS to a client that trusts the generated CA, at localhost and 127.0.0.1, and HTTP beside it', async () => {
    const ca = readFileSync(caFile(), 'utf8');
    for (const host of ['localhost', '127.0.0.1']) {
      const res = await get(`https://${host}:${httpsPort()}/healthz`, { ca });
      assert.equal(res.status, 200, host);
      assert.deepEqual(JSON.parse(res.body), { status: 'ok' });
    }
    assert.equal((await fetch(`${server!.url}/healthz`)).status, 200);
  });

  it('requests the parser refuses over HTTPS get the same JSON and x-error-message as over HTTP', async () => {
    const ca = readFileSync(caFile(), 'utf8');
    const text = await new Promise<string>((resolve, reject) => {
      const socket = tlsConnect({ host: 'localhost', port: Number(httpsPort()), ca }, () => socket.write('GET /v1/customers HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n'));
      let got = '';
      socket.on('data', (c) => (got += c));
      socket.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
      socket.on('close', () => resolve(got));
    });
    assert.match(text, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(text, /\r\nx-error-message: Malformed request: /);
    assert.equal(JSON.parse(text.split('\r\n\r\n')[1]).statusCode, 400);
  });

  it('a client that does not know the CA is refused', async () => {
    await assert.rejects(get(`https://localhost:${httpsPort()}/healthz`), (e: NodeJS.ErrnoException) => {
      assert.match(String(e.code), /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
      return true;
    });
  });

  it('the certificate names localhost, 127.0.0.1 and ::1 and is issued by the CA', () => {
    const cert = new X509Certificate(readFileSync(join(dir, 'tls', 'server.pem')));
    assert.match(cert.subjectAltName ?? '', /DNS:localhost/);
    assert.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    assert.match(cert.subjectAltName ?? '', /IP Address:0:0:0:0:0:0:0:1|IP Address:::1/);
    assert.ok(cert.checkIssued(new X509Certificate(readFileSync(caFile()))));
    assert.equal(cert.ca, false);
  });

  it('prints where the CA is and one line each for Java, Python, Node and curl', () => {
    const output = printed.join('\n');
    assert.match(output, new RegExp(`listening on https://127\\.0\\.0\\.1:${httpsPort()} \\(TLS, certificate generated\\)`));
    assert.ok(output.includes(`keytool -importcert -noprompt -alias partnerhub-ca -file ${caFile()}`), output);
    assert.ok(output.includes('-Djavax.net.ssl.trustStore='));
    assert.ok(output.includes(`REQUESTS_CA_BUNDLE=${caFile()}`));
    assert.ok(output.includes(`NODE_EXTRA_CA_CERTS=${caFile()}`));
    assert.ok(output.includes(`curl --cacert ${caFile()} https://127.0.0.1:${httpsPort()}/healthz`));
  });

  it('reuses the CA and certificate on a later start', async () => {
    const before = readFileSync(join(dir, 'tls', 'server.pem'), 'utf8');
    const again = await loadTls(config);
    assert.equal(again?.generated, false);
    assert.equal(again?.cert, before);
    assert.equal(again?.caFile, caFile());
  });

  it('--tls-cert and --tls-key serve a given certificate; one without the other is refused', async () => {
    const given = await loadTls({ ...config, tlsSelfSigned: false, tlsCert: join(dir, 'tls', 'server.pem'), tlsKey: join(dir, 'tls', 'server-key.pem') });
    assert.equal(given?.cert, readFileSync(join(dir, 'tls', 'server.pem'), 'utf8'));
    assert.equal(given?.caFile, undefined);
    await assert.rejects(loadTls({ ...config, tlsSelfSigned: false, tlsCert: join(dir, 'tls', 'server.pem') }), ConfigError);
    await assert.rejects(loadTls({ ...config, tlsSelfSigned: false, tlsCert: join(dir, 'nope.pem'), tlsKey: join(dir, 'nope.pem') }), /cannot read the TLS certificate/);
    assert.equal(await loadTls({ ...config, tlsSelfSigned: false }), null);
  });

  const java = hasJava();
  it(
    "the seed's Java sample (HttpsURLConnection) calls Mimecast over TLS with the printed trust-store line",
    { skip: java ? false : 'no JDK installed (java and keytool not on PATH): install a JDK to run the Java TLS sample' },
    async () => {
      const javaLine = printed.find((l) => l.includes('keytool -importcert'))!;
      const keytool = javaLine.slice(javaLine.indexOf('keytool') + 'keytool'.length, javaLine.indexOf('  then')).trim().split(/\s+/);
      await run('keytool', keytool);
      const props = javaLine.slice(javaLine.indexOf('then  java') + 'then  java'.length).trim().split(/\s+/).filter((p) => p.startsWith('-D'));
      assert.equal(props.length, 2, javaLine);
      const source = join(dir, 'TlsSample.java');
      writeFileSync(source, JAVA_SAMPLE);
      const creds = parseDemoCredentials(readFileSync(config.demoOut, 'utf8'));
      const mc = Object.values(creds.principals)[0].mimecast;
      const { stdout } = await run('java', [...props, source, `https://localhost:${httpsPort()}`, mc.accessKey, mc.secretKey, mc.appId, mc.appKey]);
      const [status, ...body] = stdout.trim().split(' ');
      assert.equal(status, '200', stdout);
      const envelope = JSON.parse(body.join(' '));
      assert.equal(envelope.meta.status, 200);
      assert.deepEqual(envelope.fail, []);
      // Without the trust store the same JVM refuses the server.
      await assert.rejects(run('java', [source, `https://localhost:${httpsPort()}`, mc.accessKey, mc.secretKey, mc.appId, mc.appKey]), /PKIX path building failed|SSLHandshakeException/);
    },
  );
});

describe('the HTTPS listener keeps the same timeouts', () => {
  let dir: string;
  let t: TestApp;
  let listener: HttpsListener;
  let port: number;
  let ca: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'partnerhub-tls-timeouts-'));
    const tls = await ensureSelfSigned(join(dir, 'tls'));
    ca = readFileSync(tls.caFile!, 'utf8');
    const timeouts = { headersTimeoutMs: 500, requestTimeoutMs: 1000, keepAliveTimeoutMs: 2000 };
    t = await makeTestApp('sqlite', timeouts, {}, (app) => {
      listener = httpsListener(app, tls, timeouts);
    });
    port = await listener.listen(0, '127.0.0.1');
  });
  after(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('headers sent one byte at a time over TLS are cut off with 408, then the connection closes', async () => {
    const events: string[] = [];
    let text = '';
    await new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const socket = tlsConnect({ host: 'localhost', port, ca }, () => {
        socket.write('GET /v1/customers HTTP/1.1\r\nHost: x\r\nX-Slow: ');
        timer = setInterval(() => socket.writable && socket.write('a'), 50);
      });
      socket.on('data', (c) => {
        text += c;
        if (events.at(-1) !== 'data') events.push('data');
      });
      socket.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
      socket.on('close', () => {
        clearInterval(timer);
        events.push('close');
        resolve();
      });
    });
    assert.deepEqual(events, ['data', 'close']);
    assert.match(text, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.equal(JSON.parse(text.split('\r\n\r\n')[1]).statusCode, 408);
  });

  it('serves the same app (routes, hooks) over TLS', async () => {
    assert.equal(listener.server.listening, true);
    const res = await get(`https://localhost:${port}/healthz`, { ca });
    assert.equal(res.status, 200);
  });
});
