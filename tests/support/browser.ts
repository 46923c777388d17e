/** Debian's Chromium driven by playwright-core (never a downloaded browser). */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

const CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'];
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function executable(): string {
  const executablePath = CANDIDATES.find((p) => existsSync(p));
  if (!executablePath) throw new Error(`no Chromium at ${CANDIDATES.join(' or ')}: apt-get install -y chromium`);
  return executablePath;
}

/** `extraArgs`: e.g. `--host-resolver-rules=MAP cycarla.test 127.0.0.1`, to be another machine by name. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: executable(), headless: true, args: [...ARGS, ...extraArgs] });
}

/** Chromium with a profile on disk (installability is judged only for a persistent profile), as a 1280×800 tablet. */
export async function launchPersistentChromium(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, { executablePath: executable(), headless: true, args: ARGS, viewport: { width: 1280, height: 800 } });
}

/**
 * A 1280×800 landscape tablet's page at url, and the errors it raises: uncaught page errors,
 * and console errors — the only way an exception the stream worker does not catch shows.
 */
export async function openTabletPage(
  browser: Browser, url: string, storedSettings?: Record<string, unknown>,
  opts: { context?: BrowserContextOptions; beforeLoad?: (page: Page) => Promise<void> } = {},
): Promise<{ page: Page; errors: string[] }> {
  // A context of its own (not browser.newPage's), so that a test may open a second page in it.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...opts.context });
  const page = await context.newPage();
  await opts.beforeLoad?.(page);
  // Settings a rider chose earlier, in storage before the app's first line runs (once: the
  // app's own saves win after that).
  if (storedSettings) {
    const value = JSON.stringify(JSON.stringify(storedSettings));
    await page.addInitScript(`if (!sessionStorage.getItem('cycarla.test.seeded')) {
      localStorage.setItem('cycarla.settings.v1', ${value});
      sessionStorage.setItem('cycarla.test.seeded', '1');
    }`);
  }
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  return { page, errors };
}

/** Ride time on the HUD clock (m:ss, or h:mm:ss past an hour), in seconds: simulation time, as the rider's model counts it. */
export async function rideSeconds(page: Page): Promise<number> {
  return (await page.getByTestId('elapsed').textContent())!.split(':').map(Number).reduce((acc, part) => acc * 60 + part, 0);
}
