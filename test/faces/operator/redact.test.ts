/** The journal's redaction of bodies as text: the shortcut for texts that name no secret never lets one through. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { REDACTED, redactText } from '../../../src/operator/redact.js';

describe('redactText', () => {
  it('keeps a text that names no secret exactly as it was, clipped', () => {
    const page = JSON.stringify({ results: [{ serviceName: 'Acme', status: 'TrialActive' }] }, null, 2);
    assert.equal(redactText(page, 10_000), page);
    assert.equal(redactText('x'.repeat(30), 10), `${'x'.repeat(10)}…[20 more characters]`);
  });

  it('redacts secrets by name in JSON, forms, XML and JSON inside other text, also when the name is escaped', () => {
    const cases: [string, string][] = [
      ['{"name":"a","password":"hunter2"}', 'hunter2'],
      ['{"name":"a","\\u0070assword":"hunter2"}', 'hunter2'],
      ['user=a&p%61ssword=hunter2', 'hunter2'],
      ['user=a&api_key=hunter2', 'hunter2'],
      ['<r><Token>hunter2</Token></r>', 'hunter2'],
      ['cb({"secretKey":"hunter2"})', 'hunter2'],
    ];
    for (const [text, secret] of cases) {
      const out = redactText(text, 10_000);
      assert.ok(!out.includes(secret), `${text} -> ${out}`);
      assert.ok(out.includes(REDACTED), `${text} -> ${out}`);
    }
  });
});
