import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { STORE_KINDS, storeSuiteOptions } from '../helpers/stores.js';
import { makeTestApp, type TestApp } from '../helpers/context.js';
import { MINUTE } from '../../src/domain/clock.js';
import { signRackspaceRequest } from '../../src/client/rackspace.js';
import { createLoginToken } from '../../src/domain/login-token.js';
import { systemActor } from '../../src/domain/principal.js';
import { buildPanelWorld, type PanelWorld } from '../faces/panel/world.js';
import { launchChromium, newContext, overflowsSideways, PHONE, screenshots } from './browser.js';

/** The control panel in a real browser (Debian's Chromium), against a server listening on 127.0.0.1. */

const UA = 'partnerhub browser tests';
const LONG_DOMAIN = 'a-rather-long-subdomain-name.of-an-organisation.example';
const LONG_MAILBOX = 'firstname.middlename.lastname';

for (const kind of STORE_KINDS) {
  describe(`control panel in Chromium on ${kind}`, storeSuiteOptions(kind), () => {
    let t: TestApp;
    let w: PanelWorld;
    let base: string;
    let browser: Browser;
    before(async () => {
      t = await makeTestApp(kind, { rackspaceReadsPerMinute: 0, rackspaceWritesPerMinute: 0 });
      w = await buildPanelWorld(t, { pagedCustomers: 23 });
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      const address = t.app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      browser = await launchChromium();
    });
    after(async () => {
      await browser?.close();
      await t?.close();
    });

    /** A Rackspace API call over HTTP to the running server, signed with the given keys. */
    async function api(keys: { userKey: string; secretKey: string }, method: string, path: string, body?: unknown) {
      const headers: Record<string, string> = { 'user-agent': UA, accept: 'application/json', 'x-api-signature': signRackspaceRequest({ ...keys, userAgent: UA, at: t.clock.now() }) };
      if (body !== undefined) headers['content-type'] = 'application/json';
      return fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    }

    async function signedIn(accountGuid: string, userName: string, virtualUser: boolean, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
      const { token } = await createLoginToken(t.ctx, systemActor('test'), accountGuid, { userName, virtualUser });
      const page = await (await newContext(browser, options)).newPage();
      await page.goto(`${base}/TokenLogin.aspx?loginToken=${token}`);
      return page;
    }

    it('signs in with a fresh token made through the API and shows the account', async () => {
      const res = await api(w.fx.resellerAdminA.rackspace, 'POST', `/v1/customers/${w.fx.a1.accountNumber}/loginToken`, { userName: 'admin@a1.example', virtualUser: false });
      assert.equal(res.status, 200, await res.clone().text());
      const { token } = (await res.json()) as { token: string };
      const page = await (await newContext(browser)).newPage();
      await page.goto(`${base}/TokenLogin.aspx?loginToken=${token}`);
      assert.equal(new URL(page.url()).pathname, `/panel/accounts/${w.fx.a1.accountNumber}`);
      assert.equal(await page.locator('h1').innerText(), 'API Customer 17');
      assert.match(await page.locator('header.top').innerText(), /Signed in as admin@a1\.example/);
      await page.goto(`${base}/TokenLogin.aspx?loginToken=${token}`);
      assert.match(await page.locator('h1').innerText(), /already been used/);
      await page.context().close();
    });

    it('adds a contact (without JavaScript) that the API then lists, and refuses to remove the last billing contact', async () => {
      const page = await signedIn(w.fx.a1.guid, 'admin@a1.example', false, { javaScriptEnabled: false });
      await page.getByRole('link', { name: 'Contacts' }).click();
      await page.getByRole('link', { name: 'Add contact' }).click();
      await page.getByLabel('Name').fill('Browser Person');
      await page.getByLabel('E-mail').fill('not-an-address');
      await page.getByRole('button', { name: 'Add contact' }).click();
      assert.equal(await page.locator('#f-email-error').innerText(), 'Please enter a valid email address.');
      assert.equal(await page.locator('#f-phone-error').innerText(), 'Phone number cannot be empty.');
      await page.getByLabel('E-mail').fill('browser@a1.example');
      await page.getByLabel('Phone').fill('555-0111');
      await page.getByLabel('Security question').fill('First car?');
      await page.getByLabel('Security answer').fill('Beetle');
      await page.getByLabel('Billing').check();
      await page.getByLabel(/Account alerts/).check();
      await page.getByRole('button', { name: 'Add contact' }).click();
      assert.match(await page.locator('.notice').innerText(), /Contact added/);
      const listed = (await (await api(w.fx.resellerAdminA.rackspace, 'GET', `/v2/customers/${w.fx.a1.accountNumber}/contacts`)).json()) as { Items: any[] };
      const person = listed.Items.find((c) => c.Name === 'Browser Person');
      assert.deepEqual([person?.Email, person?.ReceivesBilling, person?.ReceivesAlerts, person?.SecurityAnswer], ['browser@a1.example', true, true, 'Beetle']);
      await screenshots(page, `${kind}-contacts`);
      await page.getByRole('row', { name: /Browser Person/ }).getByRole('link', { name: 'Delete' }).click();
      await page.getByRole('button', { name: 'Delete contact' }).click();
      assert.equal(await page.locator('.notice.error').innerText(), 'There must be at least one billing contact and one primary contact. (A single contact can be both.)');
      await page.context().close();
    });

    it('adds a mailbox through the Domains form (without JavaScript) that the API then lists, keeping what was typed on a refusal', async () => {
      const added = await api(w.fx.resellerAdminA.rackspace, 'POST', `/v1/customers/${w.fx.a2.accountNumber}/domains/browser-a2.example`, {});
      assert.equal(added.status, 200, await added.clone().text());
      const page = await signedIn(w.fx.resellerA.guid, 'admin@reseller-a.example', false, { javaScriptEnabled: false });
      await page.goto(`${base}/panel/accounts/${w.fx.a2.accountNumber}`);
      await page.getByRole('link', { name: 'Domains' }).click();
      assert.match(await page.locator('#domain-browser-a2\\.example h2').innerText(), /browser-a2\.example primary/);
      await page.getByRole('link', { name: 'Add mailbox' }).click();
      await page.getByLabel(/Mailbox name/).fill('carol');
      await page.getByLabel('Display name').fill('Carol Browser');
      await page.getByLabel('Password').fill('weakpass');
      await page.getByRole('button', { name: 'Add mailbox' }).click();
      assert.match(await page.locator('#f-password-error').innerText(), /at least 8 characters/);
      assert.equal(await page.getByLabel('Display name').inputValue(), 'Carol Browser', 'what was typed is kept');
      assert.equal(await page.getByLabel('Password').inputValue(), '', 'but not the password');
      await page.getByLabel('Password').fill('Maple&River42x');
      await page.getByRole('button', { name: 'Add mailbox' }).click();
      assert.match(await page.locator('.notice').innerText(), /Mailbox added/);
      assert.match(await page.getByRole('table', { name: 'Mailboxes of browser-a2.example' }).innerText(), /carol@browser-a2\.example\s+Carol Browser/);
      const listed = (await (await api(w.fx.resellerAdminA.rackspace, 'GET', `/v1/customers/${w.fx.a2.accountNumber}/domains/browser-a2.example/rs/mailboxes`)).json()) as { rsMailboxes: any[] };
      assert.deepEqual(listed.rsMailboxes, [{ name: 'carol', displayName: 'Carol Browser' }]);
      await screenshots(page, `${kind}-domain`);
      await page.context().close();
    });

    it('downloads an invoice CSV that is byte for byte the API’s', async () => {
      const page = await signedIn(w.fx.partner.guid, 'boss@partner.example', false);
      await page.goto(`${base}/panel/accounts/${w.evil.accountNumber}`);
      await page.getByRole('link', { name: 'Invoices' }).click();
      await screenshots(page, `${kind}-invoices`);
      await page.getByRole('link', { name: String(w.evilInvoiceId), exact: true }).click();
      await screenshots(page, `${kind}-invoice`);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
      const file = readFileSync((await download.path())!);
      const fromApi = Buffer.from(await (await api(w.bossKeys, 'GET', `/v2/customers/${w.evil.accountNumber}/invoices/${w.evilInvoiceId}`)).arrayBuffer());
      assert.ok(fromApi.length > 100);
      assert.ok(file.equals(fromApi), 'the downloaded file differs from the API’s CSV');
      assert.equal(download.suggestedFilename(), `invoice-${w.evilInvoiceId}.csv`);
      await page.context().close();
    });

    it('lets a reseller disable a customer and refuses a second change within 5 minutes, showing the time left', async () => {
      const page = await signedIn(w.fx.resellerA.guid, 'admin@reseller-a.example', false);
      await page.getByRole('link', { name: 'Customers' }).click();
      await screenshots(page, `${kind}-customers`);
      assert.equal(await overflowsSideways(page), false);
      await page.getByLabel('Name, account number or reference').fill('api customer 3');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('link', { name: 'API Customer 39' }).click();
      await page.getByRole('button', { name: 'Disable' }).click();
      assert.match(await page.locator('#status').innerText(), /Now: AccountSuspended/);
      assert.match(await page.locator('#status').innerText(), /by admin@reseller-a\.example/);
      await screenshots(page, `${kind}-account`);
      t.clock.advance(MINUTE);
      await page.getByRole('button', { name: 'Enable' }).click();
      assert.match(await page.locator('.notice.error').innerText(), /Try again in 4 minutes\./);
      assert.match(await page.locator('#status').innerText(), /Now: AccountSuspended/);
      await page.context().close();
    });

    it('keeps a customer session out of other customers’ pages whatever URL is typed', async () => {
      const page = await signedIn(w.fx.a1.guid, 'admin@a1.example', false);
      for (const url of [`/panel/accounts/${w.fx.b1.accountNumber}`, `/panel/accounts/${w.fx.a2.accountNumber}/contacts`, `/panel/accounts/${w.fx.resellerA.accountNumber}/customers`, `/panel/accounts/${w.evil.accountNumber}/invoices/${w.evilInvoiceId}/csv`]) {
        const res = await page.goto(`${base}${url}`);
        assert.equal(res?.status(), 404, url);
        assert.equal(await page.locator('h1').innerText(), 'Not found');
      }
      await page.context().close();
    });

    it('rejects a forged form post: a wrong CSRF token, and a post from another site', async () => {
      const page = await signedIn(w.fx.resellerA.guid, 'admin@reseller-a.example', false);
      await page.goto(`${base}/panel/accounts/${w.fx.a1.accountNumber}`);
      await page.locator('form[action$="/disable"] input[name=_csrf]').evaluate((input) => ((input as HTMLInputElement).value = 'forged'));
      const forged = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Disable' }).click()]);
      assert.equal(forged[0]?.status(), 403);
      assert.equal(await page.locator('h1').innerText(), 'This form was refused');
      // A page of another site (a data: URL has an origin of its own) posting the panel's form.
      const forger = `<form method="post" action="${base}/panel/accounts/${w.fx.a1.accountNumber}/disable"><button>Win a prize</button></form>`;
      await page.goto(`data:text/html,${encodeURIComponent(forger)}`);
      const crossSite = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Win a prize' }).click()]);
      assert.equal(crossSite[0]?.status(), 401, 'the SameSite=Lax cookie stays home');
      await page.goto(`${base}/panel/accounts/${w.fx.a1.accountNumber}`);
      assert.match(await page.locator('#status').innerText(), /Now: TrialActive/, 'nothing was changed');
      await page.context().close();
    });

    it('fits a phone: no page of the panel is wider than 375 pixels', async () => {
      const page = await signedIn(w.fx.partner.guid, 'boss@partner.example', false);
      await page.setViewportSize(PHONE);
      const n = w.evil.accountNumber;
      // A domain with a long name, a mailbox and an alias, so the Domains pages have their widest content.
      const d = `/panel/accounts/${n}/domains/${LONG_DOMAIN}`;
      assert.equal((await api(w.bossKeys, 'POST', `/v1/customers/${n}/domains/${LONG_DOMAIN}`, {})).status, 200);
      assert.equal((await api(w.bossKeys, 'POST', `/v1/customers/${n}/domains/${LONG_DOMAIN}/rs/mailboxes/${LONG_MAILBOX}`, { password: 'Maple&River42x', displayName: 'A rather long display name for a phone' })).status, 200);
      assert.equal((await api(w.bossKeys, 'POST', `/v1/customers/${n}/domains/${LONG_DOMAIN}/rs/aliases/everyone`, { aliasEmails: `${LONG_MAILBOX}@${LONG_DOMAIN},someone.far.away@elsewhere.example` })).status, 200);
      const domainPages = [`/panel/accounts/${n}/domains`, d, `${d}/mailboxes/new`, `${d}/mailboxes/${LONG_MAILBOX}`, `${d}/mailboxes/${LONG_MAILBOX}/delete`, `${d}/aliases/new`, `${d}/aliases/everyone`, `${d}/aliases/everyone/delete`];
      for (const url of [`/panel/accounts/${n}`, `/panel/accounts/${n}/contacts`, `/panel/accounts/${n}/contacts/new`, `/panel/accounts/${n}/invoices`, `/panel/accounts/${n}/invoices/${w.evilInvoiceId}`, `/panel/accounts/${w.fx.partner.accountNumber}/customers`, `/panel/accounts/${w.fx.partner.accountNumber}/customers/new`, ...domainPages]) {
        const res = await page.goto(`${base}${url}`);
        assert.equal(res?.status(), 200, url);
        assert.equal(await overflowsSideways(page), false, url);
      }
      await page.goto(`${base}/panel/accounts/${w.fx.partner.accountNumber}/customers/new`);
      await screenshots(page, `${kind}-new-customer`);
      await page.goto(`${base}/panel/accounts/${n}/contacts/new`);
      await screenshots(page, `${kind}-contact-form`);
      await page.context().close();
    });
  });
}
