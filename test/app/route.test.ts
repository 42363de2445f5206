import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import type { FastifyError } from 'fastify';
import { makeTestApp, type TestApp } from '../helpers/context.js';
import { mountFace, route, type FaceDefinition } from '../../src/http/route.js';

/** The one route declaration: a toy face exercises what every real face relies on. */
interface ToyActor {
  name: string;
}

const toy: FaceDefinition<ToyActor> = {
  name: 'panel',
  async authenticate(request) {
    const who = request.headers['x-toy-user'];
    if (typeof who !== 'string') throw Object.assign(new Error('who are you'), { statusCode: 401 });
    return { name: who };
  },
  errors(error: FastifyError, _request, reply) {
    const kind = error.validation ? 'invalid' : error.statusCode === 404 ? 'missing' : error.statusCode === 401 ? 'anonymous' : 'broken';
    return reply.code(error.validation ? 422 : (error.statusCode ?? 500)).send({ toyError: kind, context: error.validationContext ?? null });
  },
};

const routes = [
  route<ToyActor, { params: ReturnType<typeof params>; body: ReturnType<typeof body> }>({
    method: 'POST',
    url: '/things/:n',
    operationId: 'AddThing',
    schema: { params: params(), body: body() },
    handler: ({ actor, params: p, body: b }) => ({ by: actor.name, n: p.n, label: b.label }),
  }),
  route<ToyActor, {}>({ method: 'GET', url: ['/open', '/open2'], operationId: 'Open', auth: false, handler: ({ actor }) => ({ actor }) }),
];

function params() {
  return Type.Object({ n: Type.Integer({ minimum: 1 }) });
}
function body() {
  return Type.Object({ label: Type.String({ minLength: 1 }) });
}

describe('declared routes', () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp('sqlite', {}, {}, async (app) => {
      await app.register(mountFace(toy, [{ prefix: '/toy', routes }]));
    });
  });
  after(async () => t?.close());

  it('authenticates, validates and hands the typed inputs to the handler', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/toy/things/7', headers: { 'x-toy-user': 'ann' }, payload: { label: 'x' } });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { by: 'ann', n: 7, label: 'x' });
  });

  it('sends authentication failures, schema failures and unknown URLs to the face error map', async () => {
    const anonymous = await t.app.inject({ method: 'POST', url: '/toy/things/7', payload: { label: 'x' } });
    assert.deepEqual([anonymous.statusCode, anonymous.json().toyError], [401, 'anonymous']);
    const invalid = await t.app.inject({ method: 'POST', url: '/toy/things/7', headers: { 'x-toy-user': 'ann' }, payload: { label: '' } });
    assert.deepEqual([invalid.statusCode, invalid.json()], [422, { toyError: 'invalid', context: 'body' }]);
    const badParam = await t.app.inject({ method: 'POST', url: '/toy/things/0', headers: { 'x-toy-user': 'ann' }, payload: { label: 'x' } });
    assert.deepEqual([badParam.statusCode, badParam.json().context], [422, 'params']);
    const missing = await t.app.inject({ method: 'GET', url: '/toy/nothing', headers: { 'x-toy-user': 'ann' } });
    assert.deepEqual([missing.statusCode, missing.json().toyError], [404, 'missing']);
  });

  it('skips authentication on public routes and serves every path of a route', async () => {
    for (const url of ['/toy/open', '/toy/open2']) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.deepEqual([res.statusCode, res.json()], [200, { actor: null }]);
    }
  });

  it('keeps a registry of every declared route', () => {
    const mine = t.app.faceRoutes.filter((r) => r.url.startsWith('/toy/'));
    assert.deepEqual(
      mine.map((r) => `${r.method} ${r.url} ${r.operationId} ${r.auth}`),
      ['POST /toy/things/:n AddThing true', 'GET /toy/open Open false', 'GET /toy/open2 Open false'],
    );
  });
});
