import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { compileErrors, dereference, validate } from '@readme/openapi-parser';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { makeTestEnv, type TestEnv } from '../helpers/context.js';

/**
 * The OpenAPI document: a valid OpenAPI 3.1 document, generated from the routes Fastify registers (every route of
 * the three vendor faces is in it, and nothing else is), with each face's security scheme and errors, and seed
 * examples that fit their schemas.
 */

type Json = Record<string, any>;
const VENDOR_FACES = ['rackspace', 'mimecast', 'ccc'];
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace']);

function* operations(doc: Json): Generator<[string, string, Json]> {
  for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const [method, op] of Object.entries(item)) if (METHODS.has(method)) yield [path, method, op as Json];
  }
}

/** Fastify's `/v1/customers/:accountNumber` as OpenAPI writes it. */
const openapiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('OpenAPI document', () => {
  let env: TestEnv;
  let app: FastifyInstance;
  const registered: RouteOptions[] = [];
  let all: Json;
  /** The route schemas as Fastify compiled them, before any document was made. */
  let schemasAtReady: string;

  before(async () => {
    env = await makeTestEnv('sqlite');
    const config = loadConfig({ database: env.ts.url, logLevel: 'silent' }, {});
    app = await buildApp(config, { store: env.ts.store, clock: env.clock, secrets: env.secrets }, { logger: false, onRoute: (r) => void registered.push(r) });
    await app.ready();
    schemasAtReady = JSON.stringify(registered.map((r) => r.schema ?? null));
    const res = await app.inject('/openapi.json');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    all = res.json();
  });
  after(async () => {
    await app?.close();
    await env?.close();
  });

  const faceDoc = async (face: string) => {
    const res = await app.inject(`/openapi/${face}.json`);
    assert.equal(res.statusCode, 200);
    return res.json() as Json;
  };

  it('is OpenAPI 3.1 that a real validator accepts, the whole and each face', async () => {
    assert.equal(all.openapi, '3.1.0');
    for (const doc of [all, ...(await Promise.all(VENDOR_FACES.map(faceDoc)))]) {
      const result = await validate(structuredClone(doc) as never);
      assert.ok(result.valid, result.valid ? '' : compileErrors(result));
    }
  });

  it('has every route of the three vendor faces that Fastify registered, and nothing else', () => {
    const expected = new Set<string>();
    const left: string[] = [];
    for (const r of registered) {
      const config = (r.config ?? {}) as Json;
      if (!VENDOR_FACES.includes(config.face)) continue;
      // ServiceStack's pre-defined routes and metadata pages repeat operations documented once (hide: true).
      if ((r.schema as Json | undefined)?.hide) continue;
      for (const method of [r.method].flat()) {
        if (method === 'HEAD') continue; // Fastify's automatic twin of every GET
        if (!config.operationId) {
          // Only ServiceStack's answers for other methods on a known path (405) and for unknown suffixes (404) have no operation.
          assert.ok(config.face === 'ccc' && config.cccVariant && config.auth === false, `${method} ${r.url} has no operation id`);
          left.push(`${method} ${r.url}`);
          continue;
        }
        expected.add(`${method.toLowerCase()} ${openapiPath(r.url)}`);
      }
    }
    const documented = new Set([...operations(all)].map(([path, method]) => `${method} ${path}`));
    assert.deepEqual([...expected].filter((k) => !documented.has(k)), [], 'registered but not documented');
    assert.deepEqual([...documented].filter((k) => !expected.has(k)), [], 'documented but not registered');
    // The counts that matter: the faces' declared routes (app.faceRoutes) plus the CCC format suffixes.
    assert.ok(app.faceRoutes.filter((r) => r.face !== 'panel' && r.face !== 'operator' && !r.aliasOf && !r.hidden).length < documented.size);
    assert.ok(documented.has('get /api/services/status.csv') && documented.has('get /v0/customers') && documented.has('get /customers'));
    assert.ok(left.length > 0);
  });

  it('changes no route schema (validation and serialization stay as they were)', async () => {
    for (const face of VENDOR_FACES) await faceDoc(face);
    assert.equal(JSON.stringify(registered.map((r) => r.schema ?? null)), schemasAtReady);
    assert.ok(!schemasAtReady.includes('"security"') && !schemasAtReady.includes('x-mc-date'));
  });

  it('leaves out the panel, the health checks and itself', () => {
    const paths = Object.keys(all.paths);
    for (const p of paths) assert.doesNotMatch(p, /^\/(panel|healthz|readyz|openapi|docs|TokenLogin)/i, p);
  });

  it('tags every operation with its face, with unique operation ids', () => {
    const ids = new Set<string>();
    for (const [path, method, op] of operations(all)) {
      assert.equal(op.tags?.length, 1, `${method} ${path}`);
      assert.ok(VENDOR_FACES.includes(op.tags[0]));
      assert.ok(!ids.has(op.operationId), op.operationId);
      assert.ok(op.summary, `${op.operationId} has a summary`);
      ids.add(op.operationId);
    }
    assert.deepEqual(all.tags.map((t: Json) => t.name), VENDOR_FACES);
    assert.ok(ids.has('ListCustomersV1') && ids.has('ListCustomersV0') && ids.has('ListCustomersV0Unversioned') && ids.has('SearchServiceStatusChanges_xml'));
  });

  it('describes each face’s authentication as a security scheme with its signature recipe', () => {
    const schemes = all.components.securitySchemes;
    assert.deepEqual(schemes.rackspaceSignature, { ...schemes.rackspaceSignature, type: 'apiKey', in: 'header', name: 'X-Api-Signature' });
    assert.match(schemes.rackspaceSignature.description, /base64\(SHA1\(userKey \+ User-Agent \+ timestamp \+ secretKey\)\)/);
    assert.deepEqual(schemes.mimecastSignature, { ...schemes.mimecastSignature, type: 'apiKey', in: 'header', name: 'Authorization' });
    assert.match(schemes.mimecastSignature.description, /MC <accessKey>:<signature>/);
    assert.match(schemes.mimecastSignature.description, /HMAC-SHA1\(base64decode\(secretKey\), x-mc-date \+ ":" \+ x-mc-req-id \+ ":" \+ path \+ ":" \+ appKey\)/);
    assert.deepEqual(schemes.cccApiKey, { ...schemes.cccApiKey, type: 'http', scheme: 'bearer' });
    for (const [path, method, op] of operations(all)) {
      const face = op.tags[0];
      const name = { rackspace: 'rackspaceSignature', mimecast: 'mimecastSignature', ccc: 'cccApiKey' }[face as 'ccc'];
      // Public: CCC's ping and public service, Mimecast's discover-authentication and the OAuth token endpoint.
      const open = /^\/(api\/(ping|public|login\/)|oauth\/)/.test(path);
      assert.deepEqual(op.security, open ? [] : [{ [name]: [] }], `${method} ${path}`);
      if (face === 'mimecast' && !open) {
        const headers = (op.parameters ?? []).filter((p: Json) => p.in === 'header' && p.required).map((p: Json) => p.name);
        assert.deepEqual(headers, ['x-mc-date', 'x-mc-req-id', 'x-mc-app-id']);
      }
    }
  });

  it('declares each face’s error statuses on every operation, in the face’s error shape', () => {
    const errorSchema: Record<string, string> = { rackspace: 'RackspaceFault', mimecast: 'MimecastFailure', ccc: 'CccErrorResponse' };
    const statuses: Record<string, string[]> = {
      rackspace: ['400', '403', '404', '409', '413', '500'],
      mimecast: ['400', '401', '403', '413', '418', '429', '500'],
      ccc: ['400', '401', '403', '404', '500'],
    };
    for (const [path, method, op] of operations(all)) {
      const face = op.tags[0];
      // The OAuth 2.0 token endpoint answers errors in RFC 6749's shape, not Mimecast's envelope.
      if (path.startsWith('/oauth/')) continue;
      const open = op.security.length === 0;
      for (const status of [...statuses[face].filter((s) => !(open && ['401', '403', '418', '429'].includes(s))), '4XX', '5XX']) {
        // Error responses every operation repeats are written once, in components/responses.
        const ref = op.responses[status]?.$ref as string | undefined;
        const response = ref ? all.components.responses[ref.replace('#/components/responses/', '')] : op.responses[status];
        assert.ok(response, `${method} ${path} ${status}`);
        assert.ok(response.description.length > 10);
        for (const media of Object.values(response.content as Record<string, Json>)) {
          assert.equal(media.schema.$ref, `#/components/schemas/${errorSchema[face]}`, `${method} ${path} ${status}`);
        }
      }
      assert.ok(Object.keys(op.responses).some((s) => s.startsWith('2')), `${method} ${path} has a success answer`);
    }
    // Shared, not repeated: far fewer error responses than operations.
    const shared = Object.keys(all.components.responses);
    assert.ok(shared.length > 10 && shared.length < [...operations(all)].length, `${shared.length} shared error responses`);
    assert.ok(all.components.schemas.RackspaceFault.properties.unauthorizedFault);
    assert.ok(all.components.schemas.CccErrorResponse.properties.responseStatus);
    assert.deepEqual(Object.keys(all.components.schemas.MimecastFailure.properties), ['meta', 'data', 'fail']);
  });

  it('says which formats each face answers in', () => {
    const types = (path: string, method: string) => Object.keys(all.paths[path][method].responses['200'].content ?? {});
    assert.deepEqual(types('/v1/customers', 'get'), ['text/xml', 'application/json']);
    assert.deepEqual(types('/v2/customers/{accountNumber}/invoices/{invoiceId}', 'get'), ['text/csv']);
    assert.deepEqual(types('/api/services/status', 'get'), ['application/json', 'application/xml', 'text/csv']);
    assert.deepEqual(types('/api/services/status.csv', 'get'), ['text/csv']);
    assert.deepEqual(Object.keys(all.paths['/v1/customers'].post.requestBody.content), ['application/x-www-form-urlencoded', 'application/json', 'text/xml']);
  });

  it('cuts one document per face: its operations, its tag, its security scheme', async () => {
    for (const face of VENDOR_FACES) {
      const doc = await faceDoc(face);
      const ops = [...operations(doc)];
      assert.ok(ops.length > 0);
      for (const [, , op] of ops) assert.deepEqual(op.tags, [face]);
      assert.equal(ops.length, [...operations(all)].filter(([, , op]) => op.tags[0] === face).length);
      assert.deepEqual(doc.tags.map((t: Json) => t.name), [face]);
      assert.equal(Object.keys(doc.components.securitySchemes).length, 1);
      assert.deepEqual(doc.servers, [{ url: '/', description: 'this server' }]);
    }
  });

  it('attaches the seeds’ examples, and every one fits its schema', async () => {
    const doc = (await dereference(structuredClone(all) as never)) as Json;
    // OpenAPI 3.1 schemas are JSON Schema 2020-12. Formats are the faces' own names (ccc-guid …), annotations here.
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    let checked = 0;
    const fromSeeds = new Set<string>();
    const check = (where: string, media: Json) => {
      for (const [name, example] of Object.entries((media.examples ?? {}) as Record<string, Json>)) {
        const validateExample = ajv.compile(media.schema);
        assert.ok(validateExample(example.value), `${where} ${name}: ${ajv.errorsText(validateExample.errors)}`);
        checked++;
        if (/^From seed/.test(example.description ?? '')) fromSeeds.add(where.split(' ')[0]);
      }
    };
    for (const [path, method, op] of operations(doc)) {
      for (const [type, media] of Object.entries((op.requestBody?.content ?? {}) as Record<string, Json>)) check(`${op.operationId} ${method} ${path} request ${type}`, media);
      for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
        for (const [type, media] of Object.entries((response.content ?? {}) as Record<string, Json>)) check(`${op.operationId} ${method} ${path} ${status} ${type}`, media);
      }
    }
    assert.ok(checked > 100, `${checked} examples`);
    for (const id of ['ListCustomersV1', 'ShowCustomerV0', 'CreateLoginTokenV1', 'ListInvoices', 'ListContacts', 'AddContact', 'getSupportInfo', 'updateAccount', 'SearchServiceStatusChanges', 'SearchServiceStatusChanges_json']) {
      assert.ok(fromSeeds.has(id), `${id} has a seed example`);
    }
  });

  it('an example that does not fit its schema is caught (the check above can fail)', async () => {
    const doc = (await dereference(structuredClone(all) as never)) as Json;
    const media = doc.paths['/v2/customers/{accountNumber}/contacts'].get.responses['200'].content['application/json'];
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const value = structuredClone(Object.values(media.examples as Record<string, Json>)[0].value) as Json;
    assert.ok(ajv.validate(media.schema, value));
    value.Items[0].ReceivesAlerts = 'yes';
    assert.equal(ajv.validate(media.schema, value), false);
  });
});
