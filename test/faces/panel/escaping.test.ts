import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STORE_KINDS, storeSuiteOptions } from '../../helpers/stores.js';
import { makeTestApp, type TestApp } from '../../helpers/context.js';
import { listContacts } from '../../../src/domain/contact.js';
import { systemActor } from '../../../src/domain/principal.js';
import { get, post, signIn } from './helpers.js';
import { buildPanelWorld, EVIL_NAME, type PanelWorld } from './world.js';

/** Every page that shows a customer's name shows `<script>alert(1)</script>` as text, escaped by the renderer. */
for (const kind of STORE_KINDS) {
  describe(`panel escaping on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let w: PanelWorld;
    before(async () => {
      t = await makeTestApp(kind);
      w = await buildPanelWorld(t);
    });
    after(async () => t?.close());

    function assertEscaped(body: string, label: string): void {
      assert.ok(!body.includes(EVIL_NAME), `${label}: the name reached the page unescaped`);
      assert.ok(!/<script/i.test(body), `${label}: a script element on the page`);
      assert.ok(body.includes('&lt;script>alert(1)&lt;/script>'), `${label}: the name is not shown at all`);
    }

    it('on every page a partner administrator opens', async () => {
      const s = await signIn(t, w.fx.partner.guid, 'boss@partner.example');
      const n = w.evil.accountNumber;
      const contact = (await listContacts(t.ctx, systemActor('test'), { guid: w.evil.guid })).items[0];
      const pages = [
        `/panel/accounts/${n}`,
        `/panel/accounts/${n}/contacts`,
        `/panel/accounts/${n}/contacts/new`,
        `/panel/accounts/${n}/contacts/${contact.id}`,
        `/panel/accounts/${n}/contacts/${contact.id}/delete`,
        `/panel/accounts/${n}/invoices`,
        `/panel/accounts/${n}/invoices/${w.evilInvoiceId}`,
        `/panel/accounts/${n}/delete`,
        `/panel/accounts/${w.fx.partner.accountNumber}/customers`,
        `/panel/accounts/${w.fx.partner.accountNumber}/customers?q=%3Cscript&match=startswith`,
      ];
      for (const url of pages) {
        const res = await get(t, s, url);
        assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
        assertEscaped(res.body, url);
      }
      // Pages made after a form: a refused contact, the one-time link page, a refused disable.
      assertEscaped((await post(t, s, `/panel/accounts/${n}/contacts`, { name: '' })).body, 'refused contact form');
      assertEscaped((await post(t, s, `/panel/accounts/${n}/contacts/${contact.id}/delete`)).body, 'refused contact delete');
      assertEscaped((await post(t, s, `/panel/accounts/${n}/login-link`)).body, 'login link page');
      assert.equal((await post(t, s, `/panel/accounts/${n}/disable`)).statusCode, 303);
      assertEscaped((await post(t, s, `/panel/accounts/${n}/enable`)).body, 'refused enable');
    });

    it('in what a virtual user of that customer sees, and as form values', async () => {
      const s = await signIn(t, w.evil.guid, 'owner', true);
      const res = await post(t, s, `/panel/accounts/${w.evil.accountNumber}/contacts`, { name: EVIL_NAME, email: 'x' });
      assert.equal(res.statusCode, 400);
      assert.ok(!res.body.includes(EVIL_NAME));
      assert.match(res.body, /value="&lt;script>alert\(1\)&lt;\/script>"/);
      assertEscaped((await get(t, s, `/panel/accounts/${w.evil.accountNumber}`)).body, 'virtual user account page');
    });
  });
}
