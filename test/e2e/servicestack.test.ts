/**
 * The CCC face end to end with ServiceStack's own npm packages against a listening server: @servicestack/cli's
 * typescript-ref saves dtos.ts from /types/typescript (and updates it from its own header), the DTOs compile
 * with tsc in strict mode, and @servicestack/client's JsonServiceClient and JsonApiClient call every CCC
 * operation with them. csharp-ref saves dtos.cs (not compiled: no .NET here).
 * The CLI reports use to servicestack.net unless SERVICESTACK_TELEMETRY_OPTOUT=1, which every run here sets:
 * with it, the CLI talks to the server under test only.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { JsonApiClient, JsonServiceClient } from '@servicestack/client';
import { makeTestApp, type TestApp } from '../helpers/context.js';
import { buildFixture, type Fixture } from '../helpers/fixture.js';
import { cccOperations } from '../../src/faces/ccc/index.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const cli = (name: string) => join(ROOT, 'node_modules/@servicestack/cli/bin', `${name}.js`);

/** Runs a CLI of @servicestack/cli in `cwd` (asynchronously: the server answering it is in this process). */
async function ref(name: string, cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [cli(name), ...args], { cwd, env: { ...process.env, SERVICESTACK_TELEMETRY_OPTOUT: '1' } });
  return stdout;
}

/** tsc's diagnostics for the files, strict, with @servicestack/client's own declarations. */
function compile(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    skipLibCheck: true,
    baseUrl: ROOT,
    paths: { '@servicestack/client': [join(ROOT, 'node_modules/@servicestack/client/dist/index.d.ts')] },
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Dtos = Record<string, any>;

describe('CCC with @servicestack/client and @servicestack/cli over HTTP', () => {
  let t: TestApp;
  let fx: Fixture;
  let baseUrl: string;
  let dir: string;
  let dtos: Dtos;

  before(async () => {
    t = await makeTestApp('sqlite');
    fx = await buildFixture(t.ctx);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address() as { port: number };
    baseUrl = `http://127.0.0.1:${address.port}`;
    dir = await mkdtemp(join(tmpdir(), 'ccc-ref-'));
  });
  after(async () => {
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('typescript-ref saves dtos.ts, which compiles with tsc (strict) together with a typed JsonServiceClient call', async () => {
    const out = await ref('typescript-ref', dir, baseUrl, 'dtos.ts');
    assert.match(out, /Saved to: dtos\.ts/);
    const source = await readFile(join(dir, 'dtos.ts'), 'utf8');
    assert.ok(source.includes(`BaseUrl: ${baseUrl}`));
    for (const op of cccOperations) assert.match(source, new RegExp(`export class ${op.name} implements IReturn<${op.response.name}>`), op.name);
    await writeFile(
      join(dir, 'use.ts'),
      `import { JsonServiceClient } from '@servicestack/client';
import { SearchServiceStatusChanges, ServiceStatusChangesResponse, CreateService, Service, PeriodType, GetServiceUsage } from './dtos';
const client = new JsonServiceClient('${baseUrl}');
export const page: Promise<ServiceStatusChangesResponse> = client.get(new SearchServiceStatusChanges({ pageSize: 5 }));
export const made: Promise<Service> = client.post(new CreateService({ primaryDomain: 'x.example', resellerGuid: 'r' }));
export const usage = client.api(new GetServiceUsage({ serviceGuid: 's', periodType: PeriodType.Monthly }));
`,
    );
    assert.deepEqual(compile([join(dir, 'dtos.ts'), join(dir, 'use.ts')]), []);
    // The checker does catch a wrong use (so an empty list above means something).
    await writeFile(join(dir, 'wrong.ts'), `import { SearchServiceStatusChanges } from './dtos';\nexport const x = new SearchServiceStatusChanges({ pageSize: 'five' });\n`);
    assert.equal(compile([join(dir, 'dtos.ts'), join(dir, 'wrong.ts')]).length, 1);
    dtos = await import(join(dir, 'dtos.ts'));
  });

  it('calls every CCC operation through JsonServiceClient with the generated DTOs', async () => {
    const client = new JsonServiceClient(baseUrl);
    client.bearerToken = fx.resellerAdminA.ccc.apiKey;
    const seen = new Set<string>();
    // The DTO classes are loaded at run time, so the responses are typed here as the JSON they are.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const call = async (name: string, p: Promise<unknown>): Promise<any> => {
      seen.add(name);
      return p;
    };
    const services = await call('SearchServices', client.get(new dtos.SearchServices({ pageSize: 10 })));
    assert.deepEqual(services.results.map((s: { serviceGuid: string }) => s.serviceGuid).sort(), [fx.a1.guid, fx.a2.guid].sort());
    const made = await call('CreateService', client.post(new dtos.CreateService({ primaryDomain: 'typed.example', resellerGuid: fx.resellerA.guid, serviceName: 'Typed Customer', contact: new dtos.ContactInfo({ name: 'Ty', email: 'ty@typed.example', phoneNumber: '1' }) })));
    assert.deepEqual([made.serviceName, made.status, made.resellerGuid, made.contact.email], ['Typed Customer', 'TrialActive', fx.resellerA.guid, 'ty@typed.example']);
    const one = await call('GetService', client.get(new dtos.GetService({ serviceGuid: made.serviceGuid })));
    assert.equal(one.primaryDomain, 'typed.example');
    const changes = await call('SearchServiceStatusChanges', client.get(new dtos.SearchServiceStatusChanges({ serviceGuid: made.serviceGuid })));
    assert.deepEqual(changes.results.map((c: { status: string; changedByUserGuid: string }) => c.status), ['TrialActive']);
    const usage = await call('SearchServiceUsage', client.get(new dtos.SearchServiceUsage({ periodType: dtos.PeriodType.Monthly })));
    assert.equal(usage.currentPage, 1);
    const su = await call('GetServiceUsage', client.get(new dtos.GetServiceUsage({ serviceGuid: fx.a1.guid, periodType: dtos.PeriodType.Daily, period: '2026-03-02' })));
    assert.deepEqual([su.serviceGuid, su.periodType, su.period], [fx.a1.guid, 'Daily', '2026-03-02T00:00:00Z']);
    const reseller = await call('GetReseller', client.get(new dtos.GetReseller({ resellerGuid: fx.resellerA.guid })));
    assert.equal(reseller.resellerName, 'Reseller A');
    const rs = await call('GetResellerServices', client.get(new dtos.GetResellerServices({ resellerGuid: fx.resellerA.guid, pageSize: 2, page: 2 })));
    assert.deepEqual([rs.totalItems, rs.currentPage, rs.results.length], [3, 2, 1]);
    // The service's domains: POST adds (the first is primary already), PUT renames and makes primary, DELETE removes.
    const added = await call('AddRemoveServiceDomain', client.post(new dtos.AddRemoveServiceDomain({ serviceGuid: made.serviceGuid, domain: 'second.typed.example' })));
    assert.equal(added.primaryDomain, 'typed.example');
    const renamed = await call('UpdateServiceDomain', client.put(new dtos.UpdateServiceDomain({ serviceGuid: made.serviceGuid, domain: 'second.typed.example', newDomain: 'third.typed.example', setAsPrimaryDomain: 'true' })));
    assert.equal(renamed.primaryDomain, 'third.typed.example');
    await client.delete(new dtos.AddRemoveServiceDomain({ serviceGuid: made.serviceGuid, domain: 'typed.example' }));
    await assert.rejects(client.delete(new dtos.AddRemoveServiceDomain({ serviceGuid: made.serviceGuid, domain: 'typed.example' })), (e: { responseStatus: { errorCode: string } }) => e.responseStatus.errorCode === 'NotFound');
    const provisioning = new JsonServiceClient(baseUrl);
    provisioning.bearerToken = fx.provisioning.ccc.apiKey;
    const resellers = await call('GetPartnerResellers', provisioning.get(new dtos.GetPartnerResellers({ partnerGuid: fx.partner.guid })));
    assert.deepEqual(resellers.results.map((r: { resellerName: string }) => r.resellerName).sort(), ['Reseller A', 'Reseller B']);
    const anonymous = new JsonServiceClient(baseUrl);
    assert.equal((await call('Ping', anonymous.get(new dtos.Ping()))).result, 'Pong');
    const pub = await call('GetPublicService', anonymous.get(new dtos.GetPublicService({ serviceCode: fx.a1.accountCode })));
    assert.equal(pub.serviceCode, fx.a1.accountCode);
    assert.deepEqual([...seen].sort(), cccOperations.map((op) => op.name).sort(), 'every operation was called');
  });

  it('reads errors as ResponseStatus, at /json/reply too, and through api() and JsonApiClient', async () => {
    const client = new JsonServiceClient(baseUrl);
    client.setCredentials(fx.customerAdminA1.ccc.apiKey, '');
    await assert.rejects(client.get(new dtos.GetService({ serviceGuid: fx.b1.guid })), (e: { responseStatus: { errorCode: string; message: string } }) => {
      assert.deepEqual([e.responseStatus.errorCode, e.responseStatus.message], ['NotFound', 'Service not found']);
      return true;
    });
    client.basePath = null as never; // the older clients' /json/reply/{Name}
    const denied = await client.api(new dtos.CreateService({ primaryDomain: 'no.example', resellerGuid: fx.resellerA.guid }));
    assert.deepEqual([denied.error?.errorCode, denied.error?.message], ['Forbidden', 'Invalid Role']);
    const invalid = await client.api(new dtos.SearchServices({ page: -1 }));
    assert.equal(invalid.error?.errorCode, 'GreaterThanOrEqual');
    assert.equal(invalid.error?.errors?.[0].fieldName, 'Page');
    const nobody = await new JsonServiceClient(baseUrl).api(new dtos.SearchServices());
    assert.deepEqual([nobody.error?.errorCode, nobody.error?.message], ['Unauthorized', 'Not Authenticated']);
    // JsonApiClient: /api/{Name}, and POSTs JSON without a content type.
    const api = JsonApiClient.create(baseUrl, (c) => (c.bearerToken = fx.resellerAdminA.ccc.apiKey));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const made: any = await api.api(new dtos.CreateService({ primaryDomain: 'apiclient.example', resellerGuid: fx.resellerA.guid }));
    assert.equal(made.response?.primaryDomain, 'apiclient.example', JSON.stringify(made.error));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const read: any = await api.post(new dtos.GetService({ serviceGuid: made.response.serviceGuid }));
    assert.equal(read.serviceName, 'apiclient.example');
  });

  it('updates dtos.ts from its own header options, and csharp-ref saves dtos.cs', async () => {
    const path = join(dir, 'dtos.ts');
    await writeFile(path, (await readFile(path, 'utf8')).replace('//ExcludeTypes: ', 'ExcludeTypes: Ping,PingResponse'));
    assert.match(await ref('typescript-ref', dir, 'dtos.ts'), /Updated: dtos\.ts/);
    const updated = await readFile(path, 'utf8');
    assert.ok(updated.includes('\nExcludeTypes: Ping,PingResponse\n'));
    assert.doesNotMatch(updated, /class Ping\b/);
    assert.match(updated, /export class SearchServiceStatusChanges /);
    assert.match(await ref('csharp-ref', dir, baseUrl, 'dtos.cs'), /Saved to: dtos\.cs/);
    const cs = await readFile(join(dir, 'dtos.cs'), 'utf8');
    assert.ok(cs.includes('public partial class SearchServiceStatusChanges'));
    assert.ok(cs.includes(`BaseUrl: ${baseUrl}`));
  });
});
