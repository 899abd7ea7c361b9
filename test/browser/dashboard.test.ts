/// <reference lib="dom" />
/**
 * The dashboard in a real browser (Debian's chromium driven by playwright-core) against the BUILT server on an
 * embedded store seeded from examples/platform (see seed.ts): log in, the framework percentages equal the scan's
 * JSON, drill from a failing requirement to the finding's file:line and verify its inclusion proof, export a bundle
 * as an auditor and verify it with `evident verify`, an auditor refused the admin pages, keyboard-only use of the
 * overview, and an axe-core check of the main pages in light and dark, on desktop and phone, with screenshots
 * under test-results/dashboard/.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ScanResult } from '../../src/core/scan-result.js';
import { evident, REPO } from '../e2e/helpers.js';
import { axeViolations, launchChromium, login, screenshot } from './browser.js';
import { EXAMPLE_REPO, PASSWORD, type Seeded, seededServer, USERS } from './seed.js';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };

/** The overview's pooled percentage: Σ passing / Σ in scope over each repository's latest run, to 0.1. */
function pooled(runs: ScanResult[], framework: string): string {
  const parts = runs.flatMap((r) => r.frameworks.filter((f) => f.id === framework));
  const passing = parts.reduce((a, f) => a + f.passing, 0);
  const inScope = parts.reduce((a, f) => a + f.inScope, 0);
  return `${(inScope === 0 ? 0 : Math.round((passing / inScope) * 1000) / 10).toFixed(1)}%`;
}

describe('dashboard in chromium', () => {
  let s: Seeded;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const newPage = async (opts: { viewport?: typeof DESKTOP; dark?: boolean } = {}): Promise<Page> => {
    const ctx = await browser.newContext({
      viewport: opts.viewport ?? DESKTOP,
      colorScheme: opts.dark ? 'dark' : 'light',
      acceptDownloads: true,
    });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  };

  before(async () => {
    const started = Date.now();
    if (!existsSync(join(REPO, 'dist', 'web', 'index.html'))) {
      throw new Error('dist/web is missing: run `npm run build` first (npm test does it)');
    }
    browser = await launchChromium();
    s = await seededServer();
    process.stdout.write(
      `# seeded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${s.timings.join(', ')}\n`,
    );
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await s?.close();
  });

  test('an admin logs in and sees each framework at the percentage the scan computed', async (t) => {
    const page = await newPage();
    await login(page, s.url, USERS.admin, PASSWORD);
    const latest = [s.scan, s.history[s.history.length - 1]!];
    for (const f of s.scan.frameworks) {
      assert.equal(
        (await page.getByTestId(`percent-${f.id}`).textContent())?.trim(),
        pooled(latest, f.id),
        `${f.id} across repositories`,
      );
    }
    t.diagnostic(`screenshot: ${await screenshot(page, 'overview-desktop-light')}`);
    t.diagnostic(
      `screenshot: ${await screenshot(page, 'overview-desktop-light-viewport', { fullPage: false })}`,
    );
    // one repository: exactly the scan's own numbers
    await page.getByLabel('Repository', { exact: true }).selectOption(EXAMPLE_REPO);
    for (const f of s.scan.frameworks) {
      const cell = page.getByTestId(`percent-${f.id}`);
      await page.waitForFunction(
        ([id, want]) => document.querySelector(`[data-testid="percent-${id}"]`)?.textContent === want,
        [f.id, `${f.compliancePercent.toFixed(1)}%`] as const,
      );
      assert.equal(await cell.textContent(), `${f.compliancePercent.toFixed(1)}%`);
      const card = page.locator(`[data-framework="${f.id}"]`);
      assert.match((await card.textContent()) ?? '', new RegExp(`${f.passing} of ${f.inScope} requirements`));
    }
  });

  test('drills from a failing requirement to the finding, its file:line, and a verified inclusion proof', async (t) => {
    // what the scan says: the first failing SOC 2 requirement, a failing control of it, and a failing finding
    const soc2 = s.scan.frameworks.find((f) => f.id === 'soc2')!;
    const controls = new Map(s.scan.controls.map((c) => [c.id, c]));
    const req = soc2.requirements.find(
      (r) => r.status === 'fail' && r.controls.some((c) => (controls.get(c)?.findings.length ?? 0) > 0),
    )!;
    const control = req.controls
      .map((c) => controls.get(c)!)
      .find((c) => c.status === 'fail' && c.findings.length > 0)!;
    const finding = s.scan.findings.find((f) => f.fingerprint === control.findings[0])!;
    const where = `${finding.location.file}:${finding.location.line}`;

    const page = await newPage();
    await login(page, s.url, USERS.admin, PASSWORD);
    await page.getByLabel('Repository', { exact: true }).selectOption(EXAMPLE_REPO);
    await page
      .locator('[data-framework="soc2"]')
      .getByRole('link', { name: /Failing/ })
      .click();
    await page.getByRole('heading', { level: 1, name: 'SOC 2 requirements' }).waitFor();
    await page.getByRole('link', { name: req.id, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: `SOC 2 ${req.id}` }).waitFor();
    const article = page.getByRole('article', { name: `Control ${control.id}` });
    await article.getByRole('link', { name: where }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Finding' }).waitFor();
    assert.equal(await page.getByTestId('finding-location').textContent(), where);
    const facts = (await page.getByTestId('finding-facts').textContent()) ?? '';
    assert.ok(facts.includes(finding.message), `the finding's message is shown: ${finding.message}`);
    assert.ok(facts.includes(finding.checkId));
    assert.match((await page.getByTestId('envelope-digest').textContent()) ?? '', /^[0-9a-f]{64}$/);
    await page.getByRole('button', { name: 'Verify inclusion proof' }).click();
    const verdict = page.getByTestId('verify-result');
    await verdict.waitFor();
    const text = (await verdict.textContent()) ?? '';
    assert.match(text, /Included: entry \d+ is in the server log of 6 entries/);
    assert.match(text, /Checkpoint signaturevalid/);
    t.diagnostic(`screenshot: ${await screenshot(page, 'finding-desktop-light')}`);
  });

  test('an auditor exports a bundle for a period and framework, and `evident verify` accepts it', async () => {
    const page = await newPage();
    await login(page, s.url, USERS.auditor, s.auditorPassword);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Export' }).click();
    const from = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('From').fill(from);
    await page.getByLabel('Framework').selectOption('soc2');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export bundle' }).click();
    const file = join(s.dir, 'bundle.tar.gz');
    const d = await download;
    assert.match(
      d.suggestedFilename(),
      new RegExp(`^evident-bundle-${from}_\\d{4}-\\d{2}-\\d{2}-soc2\\.tar\\.gz$`),
    );
    await d.saveAs(file);
    const v = evident([
      'verify',
      file,
      '--key',
      s.serverPub,
      '--entry-key',
      s.examplePub,
      '--entry-key',
      s.historyPub,
    ]);
    assert.equal(v.status, 0, `evident verify failed:\n${v.stdout}\n${v.stderr}`);
    // and a bundle is not accepted with another log key
    const other = evident([
      'verify',
      file,
      '--key',
      s.examplePub,
      '--entry-key',
      s.examplePub,
      '--entry-key',
      s.historyPub,
    ]);
    assert.notEqual(other.status, 0);
  });

  test('an auditor verifies the inclusion proof of a run, and is refused the admin pages (no link, access denied, 403)', async (t) => {
    const page = await newPage();
    await login(page, s.url, USERS.auditor, s.auditorPassword);
    const nav = page.getByRole('navigation', { name: 'Main' });
    // the auditor's view: the example's run, its envelope digest, and its inclusion proof checked by the server
    await nav.getByRole('link', { name: 'Runs' }).click();
    await page.getByLabel('Repository', { exact: true }).selectOption(EXAMPLE_REPO);
    await page.getByRole('table').getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: /^Run \d+$/ }).waitFor();
    assert.match((await page.getByTestId('envelope-digest').textContent()) ?? '', /^[0-9a-f]{64}$/);
    await page.getByRole('button', { name: 'Verify inclusion proof' }).click();
    const verdict = (await page.getByTestId('verify-result').textContent()) ?? '';
    assert.match(verdict, /Included: entry \d+ is in the server log of 6 entries/);
    assert.match(verdict, /Checkpoint signaturevalid/);
    assert.equal(await nav.getByRole('link', { name: 'Admin' }).count(), 0);
    assert.equal(await nav.getByRole('link', { name: 'Alerts' }).count(), 0);
    await page.goto(`${s.url}/admin/users`);
    await page.getByRole('heading', { level: 1, name: 'Access denied' }).waitFor();
    for (const path of ['/api/users', '/api/repositories/acme%2Fplatform/tokens', '/api/alerts']) {
      const status = await page.evaluate(async (p) => (await fetch(p)).status, path);
      assert.equal(status, 403, path);
    }
    t.diagnostic(`screenshot: ${await screenshot(page, 'admin-refused-auditor')}`);
  });

  test('the overview works with the keyboard alone: skip link, visible focus, drill-down by Enter', async () => {
    const page = await newPage();
    await page.goto(s.url);
    await page.getByLabel('Email').waitFor();
    // log in by keyboard
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'email');
    await page.keyboard.type(USERS.admin);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Compliance overview' }).waitFor();
    await page.locator('[data-framework]').first().waitFor();
    // the skip link comes first, is visible when focused, and moves focus into <main>
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const a = document.activeElement!;
      return { text: a.textContent, top: a.getBoundingClientRect().top };
    });
    assert.equal(skip.text, 'Skip to main content');
    assert.ok(skip.top >= 0, 'the focused skip link is on screen');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    // every control reached by Tab inside <main> shows a focus ring; the framework links are reachable
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const el = document.activeElement!;
        const style = getComputedStyle(el);
        return {
          tag: el.tagName,
          text: (el.textContent ?? '').trim().slice(0, 40),
          inMain: el.closest('main') !== null,
          ring: style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2,
        };
      });
      assert.ok(f.inMain, `focus stays in <main> after the skip link (${f.tag} ${f.text})`);
      assert.ok(f.ring, `visible focus on ${f.tag} "${f.text}"`);
      seen.push(f.text);
      if (f.text === 'SOC 2') break;
    }
    assert.ok(seen.includes('SOC 2'), `Tab reaches the SOC 2 link: ${seen.join(' | ')}`);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'SOC 2 requirements' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1');
  });

  const COMBOS = [
    { viewport: 'desktop', size: DESKTOP, dark: false },
    { viewport: 'desktop', size: DESKTOP, dark: true },
    { viewport: 'phone', size: PHONE, dark: false },
    { viewport: 'phone', size: PHONE, dark: true },
  ] as const;
  for (const combo of COMBOS) {
    const theme = combo.dark ? 'dark' : 'light';
    const title =
      combo.viewport === 'desktop'
        ? `the main pages pass axe (WCAG 2.1 A and AA) on a desktop in ${theme}; screenshots`
        : `the main pages fit a phone in ${theme}, with a labelled menu; screenshots`;
    test(title, { timeout: 180_000 }, async (t) => {
      const failing = s.scan.frameworks
        .find((f) => f.id === 'soc2')!
        .requirements.find((r) => r.status === 'fail')!;
      const main: [string, string][] = [
        ['overview', '/'],
        ['framework', '/frameworks/soc2'],
        ['requirement', `/frameworks/soc2/requirements/${encodeURIComponent(failing.id)}`],
        ['findings', '/findings'],
        ['runs', '/runs'],
        ['export', '/export'],
      ];
      // the lists and admin pages: axe on a desktop in light (their colours are the same variables)
      const more: [string, string][] =
        combo.viewport === 'desktop' && !combo.dark
          ? [
              ['waivers', '/waivers'],
              ['evidence', '/evidence'],
              ['users', '/admin/users'],
              ['repositories', '/admin/repositories'],
            ]
          : [];
      const page = await newPage({ viewport: combo.size, dark: combo.dark });
      await login(page, s.url, USERS.admin, PASSWORD);
      if (combo.viewport === 'desktop' && !combo.dark) {
        // axe is live: an unlabelled input added to the page is reported
        await page.evaluate(() => document.querySelector('main')!.append(document.createElement('input')));
        assert.ok(
          (await axeViolations(page)).some((v) => v.id === 'label'),
          'axe reports an unlabelled input',
        );
      }
      const problems: string[] = [];
      for (const [name, path] of [...main, ...more]) {
        await page.goto(`${s.url}${path}`);
        await page.locator('h1').first().waitFor();
        await page.waitForFunction(() => document.querySelector('[role="status"].muted') === null);
        if (name === 'overview' || name === 'framework') await page.locator('.chart svg').first().waitFor();
        if (main.some(([n]) => n === name)) {
          t.diagnostic(`screenshot: ${await screenshot(page, `${name}-${combo.viewport}-${theme}`)}`);
        }
        if (combo.viewport === 'desktop') {
          for (const v of await axeViolations(page)) {
            problems.push(`${name}: ${v.id} (${v.impact}) ${v.help}: ${v.targets.join(', ')}`);
          }
        } else {
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width > PHONE.width) problems.push(`${name}: the page scrolls sideways (${width}px wide)`);
        }
      }
      if (combo.viewport === 'phone') {
        // the navigation folds behind a labelled menu button
        const menu = page.getByRole('button', { name: 'Menu' });
        assert.equal(await menu.getAttribute('aria-expanded'), 'false');
        assert.equal(await page.getByRole('navigation', { name: 'Main' }).isVisible(), false);
        await menu.click();
        assert.equal(await menu.getAttribute('aria-expanded'), 'true');
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Findings' }).click();
        await page.getByRole('heading', { level: 1, name: 'Findings' }).waitFor();
      }
      assert.deepEqual(problems, [], problems.join('\n'));
    });
  }

  test('the theme toggle overrides the system preference; logging out ends the session', async () => {
    const page = await newPage({ dark: false });
    await login(page, s.url, USERS.admin, PASSWORD);
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await bg();
    await page.getByLabel('Theme').selectOption('dark');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    assert.notEqual(await bg(), light);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Compliance overview' }).waitFor();
    assert.equal(await page.getByLabel('Theme').inputValue(), 'dark', 'the choice is remembered');
    assert.notEqual(await bg(), light);
    // logging out ends the session on the server
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    assert.equal(await page.evaluate(async () => (await fetch('/api/session')).status), 401);
  });
});
