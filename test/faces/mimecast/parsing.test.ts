import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMimecastDate } from '../../../src/faces/mimecast/date.js';
import { parsePythonLiteral, PythonLiteralError } from '../../../src/faces/mimecast/python-literal.js';
import { readBody, UnreadableBody } from '../../../src/faces/mimecast/codec.js';
import { mimecastDate, mimecastSignature } from '../../../src/client/mimecast.js';
import { ConfigError, loadConfig } from '../../../src/config.js';

describe('x-mc-date parsing', () => {
  const at = Date.UTC(2015, 10, 24, 12, 50, 11);
  it('reads the zone forms clients send', () => {
    assert.equal(parseMimecastDate('Tue, 24 Nov 2015 12:50:11 UTC'), at);
    assert.equal(parseMimecastDate('Tue, 24 Nov 2015 12:50:11 GMT'), at);
    assert.equal(parseMimecastDate('Tue, 24 Nov 2015 12:50:11 +0000'), at);
    assert.equal(parseMimecastDate('Tue, 24 Nov 2015 07:50:11 EST'), at);
    assert.equal(parseMimecastDate('Tue, 24 Nov 2015 08:50:11 EDT'), at);
    assert.equal(parseMimecastDate('Tue, 24 Nov 2015 08:50:11 -0400'), at);
    assert.equal(parseMimecastDate('Tue, 24 Nov 2015 14:50:11 +02:00'), at);
    assert.equal(parseMimecastDate('Tue, 24 Nov 2015 13:50:11 CET'), at);
  });
  it("reads Java's single-digit day and a missing weekday", () => {
    assert.equal(parseMimecastDate('Wed, 4 Mar 2026 10:00:00 UTC'), Date.UTC(2026, 2, 4, 10, 0, 0));
    assert.equal(parseMimecastDate('04 Mar 2026 10:00:00 GMT'), Date.UTC(2026, 2, 4, 10, 0, 0));
  });
  it('refuses what is not a date', () => {
    for (const bad of ['', 'yesterday', '2015-11-24T12:50:11Z', 'Tue, 24 Nov 2015 12:50:11 XYZ', 'Tue, 31 Feb 2015 12:50:11 UTC', 'Tue, 24 Foo 2015 12:50:11 UTC', 'Tue, 24 Nov 2015 25:50:11 UTC']) {
      assert.equal(parseMimecastDate(bad), null, bad);
    }
  });
  it('matches what the client writes', () => {
    const d = new Date(at);
    assert.equal(mimecastDate(d), 'Tue, 24 Nov 2015 12:50:11 UTC');
    assert.equal(mimecastDate(d, 'GMT'), 'Tue, 24 Nov 2015 12:50:11 GMT');
  });
});

describe('client signature', () => {
  it('is base64 HMAC-SHA1 keyed with the decoded secret over date:id:path:appKey', () => {
    // Computed independently with Python: base64.b64encode(hmac.new(base64.b64decode('c2VjcmV0'), b'Tue, 24 Nov 2015 12:50:11 UTC:8578FCFC-A305-4D9A-99CB-F4D5ECEFE297:/api/account/get-account:app', hashlib.sha1).digest())
    const sig = mimecastSignature({
      date: 'Tue, 24 Nov 2015 12:50:11 UTC',
      requestId: '8578FCFC-A305-4D9A-99CB-F4D5ECEFE297',
      path: '/api/account/get-account',
      appKey: 'app',
      secretKey: 'c2VjcmV0',
    });
    assert.equal(sig, PYTHON_SIGNATURE);
  });
});

const PYTHON_SIGNATURE = 'huhw61W+KD/Fdxiw/YDAdzk25Y8=';

describe('Python literal bodies', () => {
  it("reads what Python's str(dict) prints", () => {
    const payload = "{'data': [{'accountCode': 'CUSA1', 'numberOfUsers': -10, 'products': [9702, 1039], 'flag': True, 'off': False, 'none': None, 'name': \"O'Brien\", 'esc': 'a\\'b\\\\c\\n\\x41\\u00e9'}]}";
    assert.deepEqual(parsePythonLiteral(payload), {
      data: [{ accountCode: 'CUSA1', numberOfUsers: -10, products: [9702, 1039], flag: true, off: false, none: null, name: "O'Brien", esc: "a'b\\c\nAé" }],
    });
  });
  it('reads Python 2 forms: u-prefixed strings and long ints, tuples and trailing commas', () => {
    assert.deepEqual(parsePythonLiteral("{u'data': (1L, 2.5, -3e2,), }"), { data: [1, 2.5, -300] });
  });
  it('keeps __proto__ as a plain key', () => {
    const v = parsePythonLiteral("{'__proto__': {'polluted': True}}") as Record<string, unknown>;
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.keys(v), ['__proto__']);
  });
  it('refuses anything that is not a literal', () => {
    for (const bad of ["{'a': open('x')}", "{'a': 1", "{'a' 1}", "['a',, 'b']", "{'a': 1} trailing", "'unterminated", "{[1]: 2}", '__import__("os")']) {
      assert.throws(() => parsePythonLiteral(bad), PythonLiteralError, bad);
    }
  });
  it('reads JSON first, then Python, and marks everything else unreadable', () => {
    assert.deepEqual(readBody('{"data":[]}'), { data: [] });
    assert.deepEqual(readBody("{'data': []}"), { data: [] });
    assert.deepEqual(readBody(''), {});
    assert.ok(readBody('{data: [') instanceof UnreadableBody);
    assert.ok(readBody('<xml/>') instanceof UnreadableBody);
  });
});

describe('Mimecast settings', () => {
  it('reads the window and limits from the environment with defaults', () => {
    const d = loadConfig({ database: ':memory:' }, {});
    assert.deepEqual([d.mimecastDateWindowMs, d.mimecastRateLimit, d.mimecastRateWindowMs], [900_000, 300, 60_000]);
    const c = loadConfig({ database: ':memory:' }, { PARTNERHUB_MIMECAST_DATE_WINDOW_MS: '60000', PARTNERHUB_MIMECAST_RATE_LIMIT: '5', PARTNERHUB_MIMECAST_RATE_WINDOW_MS: '1000' });
    assert.deepEqual([c.mimecastDateWindowMs, c.mimecastRateLimit, c.mimecastRateWindowMs], [60_000, 5, 1000]);
  });
  it('names the bad setting', () => {
    for (const [name, value] of [['PARTNERHUB_MIMECAST_DATE_WINDOW_MS', 'soon'], ['PARTNERHUB_MIMECAST_RATE_LIMIT', '0'], ['PARTNERHUB_MIMECAST_RATE_WINDOW_MS', '-1']]) {
      assert.throws(() => loadConfig({ database: ':memory:' }, { [name]: value }), (e: Error) => e instanceof ConfigError && e.message.startsWith(name));
    }
  });
});
