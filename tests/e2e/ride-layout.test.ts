/**
 * The ride screen at five sizes — three landscape tablets, a portrait tablet and a phone — in real
 * Chromium on the real stack: no control is off-screen or covered (the element at each control's
 * centre is that control), nothing sits in the central half of the picture (the road), a paused
 * ride can be resumed in any orientation, and with 48 px safe-area insets too. And the keys and
 * the lock do what they say.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { openTabletPage } from '../support/browser.ts';
import { ARTIFACTS } from '../support/images.ts';
import { stackAndBrowser } from '../support/stack.ts';

const env = stackAndBrowser();
// A failed test's page must not keep the car's driver slot from the next one.
afterEach(async () => { for (const c of env.browser.contexts()) await c.close(); });
mkdirSync(ARTIFACTS, { recursive: true });

/** What is wrong with the screen as it is: controls off-screen or covered, HUD in the centre. */
const problems = (page: Page) => page.evaluate(`(() => {
  const vw = innerWidth, vh = innerHeight, bad = [];
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
  const name = (el) => el.getAttribute('aria-label') || el.getAttribute('data-testid') || el.textContent.trim().slice(0, 30) || el.className;
  for (const el of document.querySelectorAll('.ride button, .ride input[type=range]')) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.left < 0 || r.top < 0 || r.right > vw + 0.5 || r.bottom > vh + 0.5) { bad.push('off-screen: ' + name(el)); continue; }
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (!hit || !(hit === el || el.contains(hit))) bad.push('covered: ' + name(el) + ' by ' + (hit ? name(hit) : 'nothing'));
  }
  // The inset picture is seen whole: nothing over any of its corners, nothing clipping it.
  for (const el of document.querySelectorAll('.ride .inset')) {
    const r = el.getBoundingClientRect();
    // (12 px in: the corners are rounded)
    for (const [x, y] of [[r.left + 12, r.top + 12], [r.right - 12, r.top + 12], [r.left + 12, r.bottom - 12], [r.right - 12, r.bottom - 12]]) {
      const hit = document.elementFromPoint(x, y); if (hit !== el) { bad.push('inset not whole: ' + (hit ? name(hit) : 'nothing') + ' at ' + Math.round(x) + ',' + Math.round(y)); break; }
    }
  }
  const x0 = vw * 0.25, x1 = vw * 0.75, y0 = vh * 0.25, y1 = vh * 0.75;
  for (const el of document.querySelectorAll('.ride .hud > *, .ride .strip > *, .ride .alerts > *, .ride .controls, .ride .endbox, .ride .lockbox, .ride .map, .ride .profile, .ride .portrait')) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.left < x1 && r.right > x0 && r.top < y1 && r.bottom > y0) bad.push('in the centre: ' + name(el));
  }
  return bad;
})()`) as Promise<string[]>;

async function ride(size: { width: number; height: number }, insets = 0): Promise<Page> {
  const { page } = await openTabletPage(env.browser, env.home, { fullscreen: false, inset: 'depth', autoPause: true }, {
    context: { viewport: size, serviceWorkers: 'block' },
    beforeLoad: async (p) => {
      if (!insets) return;
      const cdp = await p.context().newCDPSession(p);
      await cdp.send('Emulation.setSafeAreaInsetsOverride' as never, { insets: { top: insets, left: insets, bottom: insets, right: insets } } as never);
    },
  });
  await page.getByRole('button', { name: 'Ride with virtual power' }).click();
  await expect.poll(() => page.getByTestId('link').textContent(), { timeout: 30_000 }).toContain('Simulator: Connected');
  await expect.poll(() => page.locator('.ride').getAttribute('data-frames').then(Number), { timeout: 15_000 }).toBeGreaterThan(20);
  return page;
}

async function endRide(page: Page): Promise<void> {
  await page.getByRole('button', { name: /Hold to end/ }).hover();
  await page.mouse.down();
  await expect.poll(() => page.getByTestId('summary').isVisible(), { timeout: 10_000 }).toBe(true);
  await page.mouse.up();
  await page.getByRole('button', { name: 'Save' }).click();
}

describe('the ride screen at five sizes', () => {
  it.each([
    ['1280×800', 1280, 800, 0],
    ['1024×768', 1024, 768, 0],
    ['1180×820', 1180, 820, 0],
    ['820×1180 (portrait)', 820, 1180, 0],
    ['390×844 (a phone)', 390, 844, 0],
    ['1280×800 with 48 px safe-area insets', 1280, 800, 48],
  ])('%s: every control on screen and uncovered, the centre clear, a paused ride resumable', async (label, width, height, insets) => {
    const page = await ride({ width, height }, insets);
    const file = `e2e-layout-${width}x${height}${insets ? '-insets' : ''}.png`;
    writeFileSync(join(ARTIFACTS, file), await page.screenshot());
    expect(await problems(page), `${label} (${file})`).toEqual([]);
    await page.getByRole('button', { name: 'pause' }).click();
    expect(await page.getByRole('button', { name: 'continue' }).textContent()).toBe('▶');
    // Paused, the overlay covers the picture (and the inset): the controls must still be reachable.
    expect((await problems(page)).filter((p) => !p.startsWith('in the centre') && !p.startsWith('inset not whole')), label).toEqual([]);
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.getByTestId('paused').count()).toBe(0);
    await endRide(page);
    // The rider's own ended ride leaves the car free.
    await expect.poll(() => page.getByTestId('car-state').textContent(), { timeout: 10_000 }).toBe('Ready');
    if (width < 700) {
      await page.getByRole('button', { name: 'History' }).click();
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
    }
    await page.context().close();
  }, 90_000);
});

describe('keys and the lock', () => {
  it('steps power by 10 W on a focused slider, toggles pause once with space after a tap, and does nothing while locked', async () => {
    const page = await ride({ width: 1280, height: 800 });
    const power = async () => Number(await page.getByTestId('power').textContent());
    const p0 = await power();
    await page.getByRole('slider', { name: 'virtual power' }).focus();
    await page.keyboard.press('ArrowUp');
    expect(await power()).toBe(p0 + 10);
    // A tap on pause, then space: space presses the focused button once — back to riding.
    await page.getByRole('button', { name: 'pause' }).click();
    expect(await page.getByTestId('paused').count()).toBe(1);
    await page.keyboard.press(' ');
    await expect.poll(() => page.getByTestId('paused').count()).toBe(0);
    // Locked: keys change nothing, and a paused ride's Resume cannot be tapped.
    await page.getByRole('button', { name: 'pause' }).click();
    await page.getByRole('button', { name: 'lock screen' }).click();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press(' ');
    expect(await power()).toBe(p0 + 10);
    expect(await page.getByTestId('paused').count()).toBe(1);
    await page.getByRole('button', { name: 'Resume' }).click({ force: true, timeout: 2000 }).catch(() => {});
    expect(await page.getByTestId('paused').count()).toBe(1);
    await page.getByRole('button', { name: 'unlock screen' }).click();
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.getByTestId('paused').count()).toBe(0);
    await endRide(page);
    await page.context().close();
  }, 90_000);
});
