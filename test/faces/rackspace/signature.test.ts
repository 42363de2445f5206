import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hashMatches, parseSignatureHeader, signatureHash, timestampFresh, timestampMillis } from '../../../src/faces/rackspace/signature.js';
import { rackspaceSignatureHash, rackspaceTimestamp, signRackspaceRequest } from '../../../src/client/rackspace.js';

const VECTOR = { userKey: 'eGbq9/2hcZsRlr1JV1Pi', userAgent: 'Rackspace Management Interface', secretKey: 'QHOvchm/40czXhJ1OxfxK7jDHr3t' };

describe('Rackspace X-Api-Signature', () => {
  it('reproduces the WIRE.md test vectors on the server side and in the client', () => {
    for (const [ts, hash] of [
      ['20010308143725', '46VIwd66mOFGG8IkbgnLlXnfnkU='],
      ['20010317143725', 'HKUn0aajpSDx7qqGK3vqzn3FglI='],
    ]) {
      assert.equal(signatureHash(VECTOR.userKey, VECTOR.userAgent, ts, VECTOR.secretKey), hash);
      assert.equal(rackspaceSignatureHash(VECTOR.userKey, VECTOR.userAgent, ts, VECTOR.secretKey), hash);
      assert.equal(signRackspaceRequest({ ...VECTOR, timestamp: ts }), `${VECTOR.userKey}:${ts}:${hash}`);
      const parts = parseSignatureHeader(`${VECTOR.userKey}:${ts}:${hash}`)!;
      assert.ok(hashMatches(parts, VECTOR.userAgent, VECTOR.secretKey));
      assert.ok(!hashMatches(parts, VECTOR.userAgent + ' ', VECTOR.secretKey), 'the user agent is part of the hash');
      assert.ok(!hashMatches(parts, VECTOR.userAgent, VECTOR.secretKey + 'x'));
    }
  });

  it('accepts a trailing newline and spaces around the parts, and refuses malformed headers', () => {
    const good = '46VIwd66mOFGG8IkbgnLlXnfnkU=';
    for (const header of [`${VECTOR.userKey}:20010308143725:${good}\n`, `  ${VECTOR.userKey}:20010308143725:${good}  `, `${VECTOR.userKey} : 20010308143725 : ${good}`]) {
      const parts = parseSignatureHeader(header);
      assert.ok(parts, JSON.stringify(header));
      assert.ok(hashMatches(parts!, VECTOR.userAgent, VECTOR.secretKey));
    }
    for (const header of [undefined, '', 'abc', `${VECTOR.userKey}:2001030814372:${good}`, `${VECTOR.userKey}::${good}`, `:20010308143725:${good}`, `${VECTOR.userKey}:20010308143725:`, `${VECTOR.userKey}:20010308143725:a b`]) {
      assert.equal(parseSignatureHeader(header), null, JSON.stringify(header));
    }
  });

  it('reads timestamps as calendar dates and refuses impossible ones', () => {
    assert.equal(timestampMillis('20010308143725'), Date.UTC(2001, 2, 8, 14, 37, 25));
    assert.equal(timestampMillis('20010230120000'), null);
    assert.equal(timestampMillis('20011308120000'), null);
    assert.equal(timestampMillis('20010308246000'), null);
    assert.equal(rackspaceTimestamp(new Date(Date.UTC(2001, 2, 8, 14, 37, 25)), 'utc'), '20010308143725');
  });

  it('tolerates any zone from UTC-12 to UTC+14 and session reuse within the maximum age', () => {
    const now = new Date('2026-03-02T10:00:00Z');
    const policy = { maxAgeMs: 24 * 3600_000, anyZone: true };
    const at = (iso: string) => rackspaceTimestamp(new Date(iso), 'utc');
    assert.ok(timestampFresh(at('2026-03-02T10:00:00Z'), now, policy));
    assert.ok(timestampFresh(at('2026-03-03T00:00:00Z'), now, policy), 'UTC+14 local time');
    assert.ok(timestampFresh(at('2026-03-01T22:00:00Z'), now, policy), 'UTC-12 local time');
    assert.ok(timestampFresh(at('2026-03-01T10:00:00Z'), now, policy), 'signed yesterday in UTC and reused');
    assert.ok(timestampFresh(at('2026-02-28T22:00:00Z'), now, policy), 'signed a day ago in UTC-12 and reused');
    assert.ok(!timestampFresh(at('2026-03-03T00:10:00Z'), now, policy), 'beyond UTC+14 and the skew');
    assert.ok(!timestampFresh(at('2026-02-28T21:50:00Z'), now, policy), 'older than a day in the earliest zone');
    const strict = { maxAgeMs: 0, anyZone: false };
    assert.ok(timestampFresh(at('2026-03-02T10:04:00Z'), now, strict));
    assert.ok(!timestampFresh(at('2026-03-02T11:00:00Z'), now, strict), 'local time refused when zones are off');
    assert.ok(!timestampFresh(at('2026-03-02T09:50:00Z'), now, strict), 'reuse refused with a zero maximum age');
    assert.ok(!timestampFresh('20260230100000', now, policy));
  });
});
