import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

/** The flags Debian's Chromium needs on a machine without internet, display or sandbox. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/** Numbered full-page screenshots into one folder, emptied at the start of a run. */
export class ScreenshotAlbum {
  private count = 0;
  readonly files: string[] = [];

  constructor(readonly dir: string) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }

  async take(page: Page, name: string): Promise<string> {
    const file = join(this.dir, `${String(++this.count).padStart(2, '0')}-${name}.png`);
    // A full-page capture keeps sticky bars where the scroll left them, mid-page: start from the top.
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
    this.files.push(file);
    return file;
  }
}

/** One person's own browser profile (cookies, local storage) with a tab, and what went wrong in it. */
export interface PersonBrowser {
  readonly who: string;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught exceptions and console errors of the page, prefixed with who saw them. */
  readonly problems: string[];
}

export async function openBrowserFor(browser: Browser, who: string, baseURL: string): Promise<PersonBrowser> {
  const context = await browser.newContext({ baseURL, viewport: DESKTOP, locale: 'en-GB', timezoneId: 'Europe/London' });
  // Each action or wait gives up after 10 s unless it says otherwise: a stuck page fails its step, never the run.
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`${who}: uncaught ${error.name}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${who}: console error: ${message.text()}`);
  });
  return { who, context, page, problems };
}

/** Waits until `locator` shows `text` (or a match), up to `timeoutMs`, then says what it showed instead. */
export async function waitForText(locator: Locator, text: string | RegExp, timeoutMs = 10_000): Promise<void> {
  try {
    await locator.filter({ hasText: text }).first().waitFor({ state: 'visible', timeout: timeoutMs });
  } catch {
    const shown = await locator
      .first()
      .innerText({ timeout: 1_000 })
      .catch(() => '(nothing)');
    throw new Error(`expected ${String(locator)} to show ${String(text)} within ${timeoutMs} ms; it shows:\n${shown.slice(0, 800)}`);
  }
}

export function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}
