import { generateKeyPair, randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type forge from 'node-forge';
import { ConfigError, type Config } from './config.js';

/**
 * HTTPS for `serve`: a certificate and key the operator gives (`--tls-cert`, `--tls-key`), or, for sandbox
 * use, `--tls-self-signed`: a local CA and a server certificate for localhost, 127.0.0.1 and ::1, generated
 * once into `<data-dir>/tls/` and reused on later starts, so a client told to trust the CA keeps trusting
 * it. Keys come from Node's crypto (RSA 2048, which every JDK, Python, .NET and curl accepts); node-forge
 * builds and signs the X.509 certificates, which Node's crypto cannot. Nothing shells out to openssl.
 */

export interface TlsMaterial {
  cert: string;
  key: string;
  /** The generated CA's certificate, for the trust instructions (self-signed mode only). */
  caFile?: string;
  /** Whether this start generated anything (false: the files of an earlier start were reused). */
  generated: boolean;
}

type TlsSettings = Pick<Config, 'tlsCert' | 'tlsKey' | 'tlsSelfSigned' | 'dataDir'>;

export function tlsEnabled(config: TlsSettings): boolean {
  return !!(config.tlsCert || config.tlsKey || config.tlsSelfSigned);
}

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read the TLS ${what} ${file}: ${(e as Error).message}`);
  }
}

/** The certificate and key to serve HTTPS with, or null when TLS is off. */
export async function loadTls(config: TlsSettings, now = new Date()): Promise<TlsMaterial | null> {
  if (config.tlsCert || config.tlsKey) {
    if (!config.tlsCert || !config.tlsKey) throw new ConfigError('--tls-cert and --tls-key go together (PARTNERHUB_TLS_CERT, PARTNERHUB_TLS_KEY)');
    if (config.tlsSelfSigned) throw new ConfigError('--tls-self-signed generates its own certificate: give it or --tls-cert/--tls-key, not both');
    return { cert: readPem(config.tlsCert, 'certificate'), key: readPem(config.tlsKey, 'key'), generated: false };
  }
  if (!config.tlsSelfSigned) return null;
  return ensureSelfSigned(join(resolve(config.dataDir), 'tls'), now);
}

const DAY = 86_400_000;
/** The CA lasts ten years; the server certificate 825 days (the longest Apple's clients accept), renewed under the same CA. */
const CA_DAYS = 3650;
const SERVER_DAYS = 825;
export const SELF_SIGNED_NAMES = { dns: ['localhost'], ip: ['127.0.0.1', '::1'] };

export interface SelfSignedFiles {
  dir: string;
  caFile: string;
  caKeyFile: string;
  certFile: string;
  keyFile: string;
}

export function selfSignedFiles(dir: string): SelfSignedFiles {
  return { dir, caFile: join(dir, 'ca.pem'), caKeyFile: join(dir, 'ca-key.pem'), certFile: join(dir, 'server.pem'), keyFile: join(dir, 'server-key.pem') };
}

const writePrivate = (file: string, pem: string) => {
  writeFileSync(file, pem, { mode: 0o600 });
  chmodSync(file, 0o600);
};

/** Still usable for at least a day, by the clock of this start. */
function fresh(certFile: string, now: Date): boolean {
  if (!existsSync(certFile)) return false;
  try {
    return new Date(new X509Certificate(readFileSync(certFile)).validTo).getTime() > now.getTime() + DAY;
  } catch {
    return false;
  }
}

/** The local CA and server certificate in `dir`: reused when present and fresh, generated (once) otherwise. */
export async function ensureSelfSigned(dir: string, now = new Date()): Promise<TlsMaterial> {
  const f = selfSignedFiles(dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let generated = false;
  if (!fresh(f.caFile, now) || !existsSync(f.caKeyFile)) {
    const ca = await issueCa(now);
    writeFileSync(f.caFile, ca.cert);
    writePrivate(f.caKeyFile, ca.key);
    generated = true;
  }
  const caRenewed = generated;
  if (caRenewed || !fresh(f.certFile, now) || !existsSync(f.keyFile) || !issuedBy(f.certFile, f.caFile)) {
    const server = await issueServer(readFileSync(f.caFile, 'utf8'), readFileSync(f.caKeyFile, 'utf8'), now);
    writeFileSync(f.certFile, server.cert);
    writePrivate(f.keyFile, server.key);
    generated = true;
  }
  return { cert: readFileSync(f.certFile, 'utf8'), key: readFileSync(f.keyFile, 'utf8'), caFile: f.caFile, generated };
}

function issuedBy(certFile: string, caFile: string): boolean {
  try {
    return new X509Certificate(readFileSync(certFile)).checkIssued(new X509Certificate(readFileSync(caFile)));
  } catch {
    return false;
  }
}

const generateRsa = promisify(generateKeyPair);

async function rsaKeys(): Promise<{ publicKey: string; privateKey: string }> {
  return generateRsa('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

interface CertSpec {
  subject: forge.pki.CertificateField[];
  issuer: forge.pki.CertificateField[];
  publicKey: string;
  signingKey: string;
  days: number;
  extensions: object[];
  now: Date;
}

type Forge = typeof forge;

/** node-forge, loaded only when a certificate is made (most starts make none). */
const loadForge = async (): Promise<Forge> => (await import('node-forge')).default;

function signCertificate(forge: Forge, spec: CertSpec): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(spec.publicKey);
  // A positive serial of 16 random bytes (the leading 01 keeps the DER integer positive).
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  // Back-dated an hour: a client whose clock is a little behind still accepts it.
  cert.validity.notBefore = new Date(spec.now.getTime() - 3_600_000);
  cert.validity.notAfter = new Date(spec.now.getTime() + spec.days * DAY);
  cert.setSubject(spec.subject);
  cert.setIssuer(spec.issuer);
  cert.setExtensions(spec.extensions);
  cert.sign(forge.pki.privateKeyFromPem(spec.signingKey), forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

const name = (cn: string): forge.pki.CertificateField[] => [
  { name: 'commonName', value: cn },
  { name: 'organizationName', value: 'partnerhub sandbox' },
];

async function issueCa(now: Date): Promise<{ cert: string; key: string }> {
  const [keys, forge] = await Promise.all([rsaKeys(), loadForge()]);
  const subject = name(`partnerhub local CA ${now.toISOString().slice(0, 10)}`);
  const cert = signCertificate(forge, {
    subject,
    issuer: subject,
    publicKey: keys.publicKey,
    signingKey: keys.privateKey,
    days: CA_DAYS,
    now,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ],
  });
  return { cert, key: keys.privateKey };
}

async function issueServer(caPem: string, caKeyPem: string, now: Date): Promise<{ cert: string; key: string }> {
  const [keys, forge] = await Promise.all([rsaKeys(), loadForge()]);
  const ca = forge.pki.certificateFromPem(caPem);
  const altNames = [...SELF_SIGNED_NAMES.dns.map((value) => ({ type: 2, value })), ...SELF_SIGNED_NAMES.ip.map((ip) => ({ type: 7, ip }))];
  const cert = signCertificate(forge, {
    subject: name('localhost'),
    issuer: ca.subject.attributes as forge.pki.CertificateField[],
    publicKey: keys.publicKey,
    signingKey: caKeyPem,
    days: SERVER_DAYS,
    now,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
    ],
  });
  return { cert, key: keys.privateKey };
}

/** The password of the Java trust store the printed keytool line creates: it guards nothing secret (a CA certificate). */
export const JAVA_TRUSTSTORE_PASSWORD = 'changeit';

/** What each kind of client needs to trust the generated CA: one line each for Java, Python, Node and curl. */
export function trustInstructions(caFile: string, httpsUrl: string): string[] {
  const store = join(resolve(caFile, '..'), 'truststore.p12');
  return [
    `TLS: self-signed; trust the local CA ${caFile}:`,
    `  Java:   keytool -importcert -noprompt -alias partnerhub-ca -file ${caFile} -keystore ${store} -storetype PKCS12 -storepass ${JAVA_TRUSTSTORE_PASSWORD}` +
      `  then  java -Djavax.net.ssl.trustStore=${store} -Djavax.net.ssl.trustStorePassword=${JAVA_TRUSTSTORE_PASSWORD} …`,
    `  Python: export REQUESTS_CA_BUNDLE=${caFile}   (requests; urllib/ssl: SSL_CERT_FILE=${caFile})`,
    `  Node:   export NODE_EXTRA_CA_CERTS=${caFile}`,
    `  curl:   curl --cacert ${caFile} ${httpsUrl}/healthz`,
  ];
}
