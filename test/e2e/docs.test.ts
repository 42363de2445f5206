import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { makeTestApp, type TestApp } from '../helpers/context.js';
import { launchChromium, newContext, screenshots } from './browser.js';

/**
 * The docs page in a real browser (Debian's Chromium) against a server on 127.0.0.1: it loads with every asset
 * from this server (no request leaves the machine), shows the operations of the three faces, and "try it" calls
 * the running server. The document does not depend on the store, so SQLite is enough.
 */

describe('/docs in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let page: Page;
  const requested: string[] = [];

  before(async () => {
    t = await makeTestApp('sqlite');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchChromium();
    page = await (await newContext(browser)).newPage();
    page.on('request', (r) => void requested.push(r.url()));
    await page.goto(`${base}/docs`);
    await page.locator('.opblock').first().waitFor();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows the operations of the three faces, tagged by face', async () => {
    // Swagger UI renders a long document's operations as they scroll into view: the first face's first
    // operations are there at once, and each face's own document shows its operations.
    await page.locator('#operations-tag-rackspace').waitFor();
    assert.equal(await page.locator('[id$="-ListCustomersV1"].opblock').count(), 1);
    await screenshots(page, 'docs');
    for (const [label, tag, id] of [
      ['Mimecast API 1.0', 'mimecast', 'getSupportInfo'],
      ['DeliverySlip CCC', 'ccc', 'SearchServiceStatusChanges'],
      ['Rackspace Email & Apps', 'rackspace', 'ListCustomersV1'],
    ]) {
      await page.locator('.topbar select').selectOption({ label });
      await page.locator(`#operations-tag-${tag}`).waitFor();
      const op = page.locator(`[id$="-${id}"].opblock`);
      await op.waitFor();
      assert.equal(await op.count(), 1, id);
    }
    await page.locator('.topbar select').selectOption({ label: 'All faces' });
    await page.locator('#operations-tag-rackspace').waitFor();
  });

  it('calls the running server with "try it"', async () => {
    await page.locator('.topbar select').selectOption({ label: 'DeliverySlip CCC' });
    const op = page.locator('[id$="-Ping"].opblock');
    await op.locator('.opblock-summary').click();
    await op.locator('button.try-out__btn').click();
    await op.locator('button.execute').click();
    const status = op.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor();
    assert.equal((await status.innerText()).trim(), '200');
    assert.match(await op.locator('.live-responses-table tbody .response-col_description').first().innerText(), /Pong/);
    assert.ok(requested.some((u) => u === `${base}/api/ping`), 'the page called /api/ping');
    await page.locator('.topbar select').selectOption({ label: 'All faces' });
  });

  it('offers each face’s own document', async () => {
    const options = await page.locator('.topbar select option').allInnerTexts();
    assert.deepEqual(options, ['All faces', 'Rackspace Email & Apps', 'Mimecast API 1.0', 'DeliverySlip CCC']);
    await page.locator('.topbar select').selectOption({ label: 'Mimecast API 1.0' });
    await page.locator('#operations-tag-mimecast').waitFor();
    await page.locator('#operations-tag-ccc').waitFor({ state: 'detached' });
    assert.equal(await page.locator('#operations-tag-rackspace').count(), 0);
  });

  it('made no request beyond this server', () => {
    assert.ok(requested.length > 3);
    const elsewhere = requested.filter((u) => !u.startsWith(`${base}/`) && !u.startsWith('data:'));
    assert.deepEqual(elsewhere, []);
  });
});
