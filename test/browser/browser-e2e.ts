import 'reflect-metadata';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { type MastodonFake, startMastodonFake, startWebhookSink } from '@sharepool/testing/fakes';
import { RUN_PREFIX_ENV } from '@sharepool/testing';
import { startTestApp } from '../support/test-app.js';
import { type BlogSite, startBlogSite } from './blog-site.fake.js';
import { CHROMIUM_ARGS, type PersonBrowser, ScreenshotAlbum } from './browser-session.js';
import { StepRunner, type StepSummary } from './browser-steps.js';
import { runSharepoolJourney } from './sharepool-journey.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BrowserRunResult extends StepSummary {
  readonly ms: number;
  readonly screenshots: readonly string[];
}

/** What was started, stopped in reverse order exactly once, whatever happened before. */
class Teardown {
  private readonly tasks: Array<{ name: string; run: () => Promise<unknown> }> = [];
  private done?: Promise<string[]>;

  add(name: string, run: () => Promise<unknown>): void {
    this.tasks.push({ name, run });
  }

  /** Runs every task (even after one fails) and returns the problems. */
  runAll(): Promise<string[]> {
    this.done ??= (async () => {
      const problems: string[] = [];
      for (const task of this.tasks.reverse()) {
        try {
          await task.run();
        } catch (error) {
          problems.push(`${task.name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      return problems;
    })();
    return this.done;
  }
}

/**
 * The browser end-to-end run: the real API and worker on a database and Redis prefix of their
 * own, a webhook sink and the author's blog on 127.0.0.1, Debian's Chromium driven by
 * playwright-core through the journey, then everything stopped and the ledger verified.
 */
export async function runBrowserEndToEnd(rootDir: string, log: (line: string) => void = console.log): Promise<BrowserRunResult> {
  const started = Date.now();
  process.env[RUN_PREFIX_ENV] ??= 'sptest:browser';
  const album = new ScreenshotAlbum(join(rootDir, 'test-results', 'screenshots'));
  const people: PersonBrowser[] = [];
  const teardown = new Teardown();
  const steps = new StepRunner(log, async () => {
    for (const person of people) await album.take(person.page, `failure-${person.who}`).catch(() => undefined);
  });
  // Interrupted, or crashed outside a step: still stop everything before leaving.
  const stopAndExit = (why: string, code: number) => {
    log(`\n${why}: stopping the browser, the app and the fakes…`);
    void teardown.runAll().then((problems) => {
      log(problems.length ? `could not stop everything:\n${problems.join('\n')}` : 'stopped; the database and Redis keys are gone');
      process.exit(code);
    });
  };
  const onSignal = (signal: NodeJS.Signals) => stopAndExit(signal, 130);
  const onCrash = (error: unknown) => stopAndExit(`crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, 1);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('uncaughtException', onCrash);
  process.once('unhandledRejection', onCrash);

  let browser: Browser | undefined;
  let appUrl = '';
  let database = '';
  let sink: Awaited<ReturnType<typeof startWebhookSink>> | undefined;
  let blog: BlogSite | undefined;
  let mastodon: MastodonFake | undefined;
  await steps.step('starts the API with its worker, the webhook sink, the blog and Chromium', async () => {
    sink = await startWebhookSink();
    teardown.add('webhook sink', () => sink!.close());
    blog = await startBlogSite();
    teardown.add('blog site', () => blog!.close());
    mastodon = await startMastodonFake();
    teardown.add('Mastodon instance', () => mastodon!.close());
    const app = await startTestApp({ worker: true, env: { CHANNEL_MIN_INTERVAL_SECONDS: '0' } });
    // Closing the app drops its database and Redis keys after verifying the ledger balances.
    teardown.add('API, worker, database and Redis keys', () => app.close());
    appUrl = app.url;
    database = app.env.db.name;
    // The run's own signal handlers close the browser with everything else (Playwright's would exit first).
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      timeout: 30_000,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    teardown.add('Chromium', () => browser!.close());
    log(
      `    API ${appUrl} (database ${database}) · webhook sink ${sink.url} · blog ${blog.url} · Mastodon ${mastodon.url} · Chromium ${browser.version()}`,
    );
  });

  if (browser && sink && blog && mastodon) {
    await runSharepoolJourney({ browser, appUrl, sink, blog, mastodon, album, steps }, people);
    await steps.step('the pages raised no script errors and logged no console errors', async () => {
      const problems = people.flatMap((p) => p.problems);
      if (problems.length) throw new Error(problems.join('\n'));
    });
  }

  await steps.step(
    'stops Chromium, the app (its ledger verified) and the fakes',
    async () => {
      const problems = await teardown.runAll();
      if (problems.length) throw new Error(problems.join('\n'));
    },
    { always: true },
  );
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
  return { ...steps.summary(), ms: Date.now() - started, screenshots: album.files };
}
