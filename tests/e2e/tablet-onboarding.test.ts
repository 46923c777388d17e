/**
 * A tablet's first visit, in real Chromium that reaches this computer by a name (a host-resolver
 * rule), as another machine on the LAN would: over plain HTTP the app says what the browser
 * withholds and links to the set-up page; the set-up page tells an untrusting device from a
 * trusting one and leads the latter to the app over HTTPS, a secure context.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, openTabletPage } from '../support/browser.ts';
import { ROOT, runNpm } from '../support/processes.ts';
import { startRelay, type RelayProcess } from '../support/relay-process.ts';

const NAME = 'cycarla.test';
let browser: Browser;
let plain: RelayProcess;
let secure: RelayProcess;

beforeAll(async () => {
  const certs = mkdtempSync(join(tmpdir(), 'cycarla-certs-'));
  const mk = runNpm('cert', [certs, '--name', NAME]);
  expect(await mk.exited, mk.output()).toBe(0);
  const app = { cars: { main: { host: '127.0.0.1', port: 2 } }, staticDir: join(ROOT, 'dist') };
  plain = await startRelay(app);
  secure = await startRelay({ ...app, tls: { cert: join(certs, 'cycarla.crt'), key: join(certs, 'cycarla.key'), ca: join(certs, 'cycarla-ca.crt') } });
  browser = await launchChromium([`--host-resolver-rules=MAP ${NAME} 127.0.0.1`]);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await plain?.proc.stop();
  await secure?.proc.stop();
});

it('says over plain HTTP from another machine what the browser withholds, and links to the set-up page', async () => {
  const { page, errors } = await openTabletPage(browser, `http://${NAME}:${plain.port}/`, undefined, { context: { serviceWorkers: 'block' } });
  const panel = page.getByTestId('insecure-context');
  await expect.poll(() => panel.isVisible()).toBe(true);
  const text = (await panel.textContent())!;
  for (const lost of ['installing cycarla', 'keeping the screen on', 'Bluetooth']) expect(text).toContain(lost);
  expect(await page.getByTestId('no-bluetooth').textContent()).toContain('Bluetooth needs a secure page');
  await page.getByTestId('insecure-fix').click();
  await page.waitForURL(`http://${NAME}:${plain.port}/tablet`);
  // This relay has no certificate yet: the page says how to make one.
  expect(await page.locator('#status').getAttribute('data-state')).toBe('no-tls');
  expect(await page.textContent('body')).toContain('npm run cert');
  expect(errors).toEqual([]);
  await page.context().close();
});

it('shows no such warning on this computer itself (http://localhost is a secure context)', async () => {
  const { page } = await openTabletPage(browser, `http://localhost:${plain.port}/`, undefined, { context: { serviceWorkers: 'block' } });
  await page.getByRole('button', { name: 'Ride with virtual power' }).waitFor();
  expect(await page.getByTestId('insecure-context').count()).toBe(0);
  await page.context().close();
});

it('lands a first visit on the set-up page, which sees that the device does not trust the relay yet', async () => {
  const { page } = await openTabletPage(browser, `http://${NAME}:${secure.port}/`);
  await page.waitForURL(`http://${NAME}:${secure.port}/tablet`);
  await expect.poll(() => page.locator('#status').getAttribute('data-state')).toBe('untrusted');
  expect(await page.locator('#open').getAttribute('href')).toBe(`https://${NAME}:${secure.port}/`);
  expect(await page.locator('#download').getAttribute('href')).toBe('/cycarla-ca.crt');
  await page.context().close();
});

it('tells a device that trusts the relay so, and opens the app over HTTPS as a secure context without the warning', async () => {
  // ignoreHTTPSErrors stands in for an installed authority (headless Chromium has no settings screen).
  const { page, errors } = await openTabletPage(browser, `http://${NAME}:${secure.port}/tablet`, undefined, { context: { ignoreHTTPSErrors: true, serviceWorkers: 'block' } });
  await expect.poll(() => page.locator('#status').getAttribute('data-state')).toBe('trusted');
  await page.locator('#open').click();
  await page.waitForURL(`https://${NAME}:${secure.port}/`);
  await page.getByRole('button', { name: 'Ride with virtual power' }).waitFor();
  expect(await page.evaluate('window.isSecureContext')).toBe(true);
  expect(await page.getByTestId('insecure-context').count()).toBe(0);
  expect(errors).toEqual([]);
  await page.context().close();
});
