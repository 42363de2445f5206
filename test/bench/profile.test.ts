import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatPlaces, placeOf, topPlaces, type CpuProfile } from '../../bench/profile.js';

/** --profile's summary: self time per package or source file, idle left out. */
describe('benchmark profile summary', () => {
  it('names the place a frame lives', () => {
    assert.equal(placeOf('file:///work/x/node_modules/kysely/dist/esm/query-compiler/default-query-compiler.js', 'compileQuery'), 'kysely');
    assert.equal(placeOf('file:///work/x/node_modules/@fastify/formbody/index.js', 'f'), '@fastify/formbody');
    assert.equal(placeOf('file:///work/x/dist/src/faces/mimecast/auth.js', 'authenticate'), 'src/faces/mimecast/auth');
    assert.equal(placeOf('node:internal/crypto/hash', 'digest'), 'node:internal');
    assert.equal(placeOf('', '(garbage collector)'), '(garbage collector)');
    assert.equal(placeOf('', 'writev'), 'native writev');
    assert.equal(placeOf('file:///p/node_modules/kysely/dist/esm/dialect/sqlite/sqlite-driver.js', 'executeQuery'), 'SQLite engine (native, under kysely executeQuery)');
    assert.equal(placeOf('file:///p/node_modules/kysely/dist/esm/dialect/sqlite/sqlite-driver.js', 'acquireConnection'), 'kysely');
  });

  it('sums self time per place as shares of busy time', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { functionName: '(idle)', url: '' } },
        { id: 2, callFrame: { functionName: 'a', url: '/p/node_modules/kysely/a.js' } },
        { id: 3, callFrame: { functionName: 'b', url: '/p/node_modules/kysely/b.js' } },
        { id: 4, callFrame: { functionName: 'c', url: '/p/dist/src/app.js' } },
      ],
      samples: [1, 2, 3, 4, 1],
      timeDeltas: [500, 30, 30, 40, 500],
    };
    const top = topPlaces(profile);
    assert.deepEqual(top, [
      { place: 'kysely', share: 0.6 },
      { place: 'src/app', share: 0.4 },
    ]);
    assert.equal(formatPlaces(top), 'kysely 60 %, src/app 40 %');
    assert.deepEqual(topPlaces({ ...profile, samples: [1], timeDeltas: [10] }), []);
  });
});
