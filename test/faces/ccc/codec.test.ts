import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeCsv, encodeJson, isSafeCallback, jsv, negotiate } from '../../../src/faces/ccc/codec.js';
import { parseDateTime, parseJsvObject } from '../../../src/faces/ccc/binding.js';
import { cccDate } from '../../../src/faces/ccc/dto.js';

describe('CCC codec', () => {
  it('negotiates by ?format, then suffix, then Accept with q-values', () => {
    assert.equal(negotiate('/api/services/status.csv', 'xml', 'application/json'), 'xml');
    assert.equal(negotiate('/api/services/status.csv', undefined, 'application/json'), 'csv');
    assert.equal(negotiate('/api/services/status', 'yaml', 'text/csv'), 'csv');
    assert.equal(negotiate('/x', undefined, 'application/json;q=0.5, application/xml'), 'xml');
    assert.equal(negotiate('/x', undefined, 'application/xml;q=0, */*'), 'json');
    assert.equal(negotiate('/x', undefined, 'image/png'), 'json');
    assert.equal(negotiate('/x', undefined, undefined), 'json');
  });

  it('writes JSON without nulls and dates as ServiceStack does', () => {
    assert.equal(encodeJson({ type: 'X', body: { a: 1, b: null, c: { d: null, e: 'x' } } }), '{"a":1,"c":{"e":"x"}}');
    assert.equal(cccDate('2026-03-02T10:00:00.000Z'), '2026-03-02T10:00:00Z');
    assert.equal(cccDate('2026-03-02T10:00:00.120Z'), '2026-03-02T10:00:00.12Z');
  });

  it('writes nested CSV values as JSV, quoting what needs it', () => {
    assert.equal(jsv({ name: 'A, B', city: 'X', nested: { q: 'say "hi"' }, none: null }), '{Name:"A, B",City:X,Nested:{Q:"say ""hi"""}}');
    assert.equal(jsv({ Custom: 'v' }, 'branding'), '{Custom:v}');
    const csv = encodeCsv({ type: 'R', body: { results: [{ a: 'x', b: { c: 1 } }, { a: 'y,z', b: null }] } });
    assert.equal(csv, 'A,B\r\nx,{C:1}\r\n"y,z",\r\n');
    assert.equal(encodeCsv({ type: 'R', body: { results: [] } }), '');
  });

  it('accepts only dotted identifiers as JSONP callbacks', () => {
    for (const ok of ['cb', 'jQuery123_456', 'a.b.c', '$x']) assert.ok(isSafeCallback(ok), ok);
    for (const bad of ['', 'a b', 'a(1)', 'a..b', '1a', 'a;alert(1)', 'a['.repeat(1)]) assert.ok(!isSafeCallback(bad), bad);
  });

  it('parses date forms and refuses impossible dates', () => {
    assert.equal(parseDateTime('2026-03-02')?.toISOString(), '2026-03-02T00:00:00.000Z');
    assert.equal(parseDateTime('2026-03-02T10:00:00.1234567Z')?.toISOString(), '2026-03-02T10:00:00.123Z');
    assert.equal(parseDateTime('2026-03-02T10:00:00-02:30')?.toISOString(), '2026-03-02T12:30:00.000Z');
    assert.equal(parseDateTime('\\/Date(0)\\/')?.toISOString(), '1970-01-01T00:00:00.000Z');
    for (const bad of ['2026-13-01', '2026-02-29', '2026-03-02T24:00:00', 'tomorrow', '1700000000', '2026-03-02T10:00:00+15:00']) {
      assert.equal(parseDateTime(bad), null, bad);
    }
  });

  it('reads flat JSV objects from form posts', () => {
    assert.deepEqual(parseJsvObject('{Name:Bob,Email:"b,c@x.com",Phone:""}'), { Name: 'Bob', Email: 'b,c@x.com', Phone: '' });
    assert.equal(parseJsvObject('Name:Bob'), null);
    assert.equal(parseJsvObject('{Name:"unterminated}'), null);
  });
});
