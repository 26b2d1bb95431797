import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, background, journalEvents, makeDesk, repo, startDashboard, totpNow, waitFor } from './dashboardHarness.js';

// The dashboard in real Chromium (Debian's, driven by playwright-core) beside a real sim-clock
// `ashare run`: sign in with password + TOTP, watch a position arrive live, engage the kill switch
// with a fresh code and see the service stop ordering, sign out. One screenshot per page is kept in
// out/test-artifacts/dashboard/. CI installs chromium and sets ASHARE_REQUIRE_BROWSER=1, so a
// missing browser fails there instead of skipping.
const CHROMIUM = process.env['ASHARE_CHROMIUM'] ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env['ASHARE_REQUIRE_BROWSER'] === '1') throw new Error(`${CHROMIUM} is required (ASHARE_REQUIRE_BROWSER=1) but not installed`);
if (!hasChromium) console.log(`skipping the dashboard browser test: ${CHROMIUM} is not installed`);

const SHOTS = join(repo, 'out', 'test-artifacts', 'dashboard');
const PASSWORD = 'a long desk passphrase';

describe.skipIf(!hasChromium)('the dashboard in Chromium beside a running service', () => {
  const desk = hasChromium ? makeDesk('ashare-dash-browser-') : null!;
  const journal = hasChromium ? join(desk.work, 'live.sqlite') : '';
  const users = hasChromium ? join(desk.work, 'users.sqlite') : '';
  let browser: Browser;
  let page: Page;
  let service: ReturnType<typeof background>;
  let dash: Awaited<ReturnType<typeof startDashboard>>;
  let secret: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    secret = addUser(desk.work, users, desk.keyFile, 'alice', PASSWORD);
    // 6 000× real time: the afternoon's decisions reach the next open in ~11 s, so the first fills of the run
    // arrive while the browser watches (the strategy's first orders on this market are decided on 2022-02-14).
    service = background(desk.work, ['run', '--config', desk.config('live'), '--key-file', desk.keyFile, '--journal', journal, '--clock', 'sim:2022-02-14T15:20:00+08:00:6000']);
    await waitFor('the service to start its journal', async () => (await journalEvents(journal, desk.key)).some((e) => e.type === 'ServiceStarted'), 60_000);
    dash = await startDashboard(desk.work, journal, users, desk.keyFile);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    dash?.child.kill('SIGTERM');
    service?.child.kill('SIGTERM');
    await Promise.all([dash?.done, service?.done]);
  });

  const noSideScroll = async () => expect(await page.evaluate('document.documentElement.scrollWidth') as number).toBeLessThanOrEqual(390);

  it('signs in with password + TOTP, shows a position arriving live, obeys the kill switch within a second, signs out', async () => {
    await page.goto(`${dash.url}/positions`);
    await page.waitForURL(/\/login$/); // no session: every page sends you to sign in
    await page.screenshot({ path: join(SHOTS, 'login.png'), fullPage: true });
    await page.getByTestId('login-username').fill('alice');
    await page.getByTestId('login-password').fill(PASSWORD);
    const valid = [-1, 0, 1].map((k) => totpNow(secret, k));
    await page.getByTestId('login-totp').fill(['000000', '111111', '222222', '333333'].find((c) => !valid.includes(c))!);
    await page.getByTestId('login-submit').click();
    await expect.poll(async () => page.getByTestId('login-error').textContent()).toMatch(/sign-in failed/);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-totp').fill(totpNow(secret));
    await page.getByTestId('login-submit').click();
    await page.waitForURL(`${dash.url}/`);
    await expect.poll(async () => page.getByTestId('user').textContent()).toContain('alice');

    // Positions: empty when we arrive, then a row appears pushed by the websocket as the run fills.
    await page.goto(`${dash.url}/positions`);
    const before = (await journalEvents(journal, desk.key)).filter((e) => e.type === 'OrderFilled').length;
    expect(before).toBe(0);
    const row = page.locator('[data-testid="positions-table"] tr[data-symbol]').first();
    await row.waitFor({ timeout: 90_000 });
    const symbol = await row.getAttribute('data-symbol');
    const fills = (await journalEvents(journal, desk.key)).filter((e) => e.type === 'OrderFilled');
    expect(fills.map((f) => f.data.symbol)).toContain(symbol);
    await expect.poll(async () => page.getByTestId('live').textContent()).toMatch(/live/);
    await noSideScroll();
    await page.screenshot({ path: join(SHOTS, 'positions.png'), fullPage: true });

    // Kill switch with step-up: a fresh code (the next step: the sign-in's code is spent).
    await page.getByTestId('kill-switch').click();
    await page.getByTestId('step-up-totp').fill(totpNow(secret, 1));
    await page.getByTestId('step-up-why').fill('browser test');
    const clicked = Date.now();
    await page.getByTestId('step-up-confirm').click();
    try {
      await expect.poll(async () => page.getByTestId('trading-state').textContent(), { timeout: 10_000 }).toContain('HALTED');
    } catch (e) {
      // Say what the page, the service and the dashboard saw, so a failure here can be read from a CI log.
      const tail = (await journalEvents(journal, desk.key)).slice(-8).map((x) => `${x.seq} ${x.type} ${JSON.stringify(x.data).slice(0, 160)}`);
      throw new Error(`${(e as Error).message}\npage: ${await page.getByTestId('action-result').textContent()}\n`
        + `journal tail:\n${tail.join('\n')}\nservice stderr:\n${service.err().slice(-1500)}\ndashboard stderr:\n${dash.err().slice(-1500)}`);
    }
    const events = await journalEvents(journal, desk.key);
    const halted = events.find((e) => e.type === 'TradingStateChanged' && e.data.to === 'HALTED');
    expect(halted?.data).toMatchObject({ by: 'user:alice', why: 'browser test' });
    const received = events.find((e) => e.type === 'OperatorCommandReceived');
    expect(received?.data).toMatchObject({ user: 'alice', action: 'kill-switch-engage' });
    expect(Date.parse(received!.data.issuedAt) - clicked).toBeLessThan(5_000);
    await page.screenshot({ path: join(SHOTS, 'kill-switch.png'), fullPage: true });

    // The service goes on through more trading days and sends nothing.
    const haltedSeq = halted!.seq;
    await waitFor('two more after-close steps', async () => (await journalEvents(journal, desk.key)).filter((e) => e.seq > haltedSeq && e.type === 'StepCompleted' && e.data.step === 'afterclose').length >= 2, 90_000, 250);
    const after = (await journalEvents(journal, desk.key)).filter((e) => e.seq > haltedSeq);
    expect(after.filter((e) => e.type === 'OrderSubmitted')).toEqual([]);
    expect(after.filter((e) => e.type === 'OrderApproved')).toEqual([]);

    // Every page renders at phone width; one screenshot each.
    for (const p of ['/', '/orders', '/risk', '/alerts', '/journal'] as const) {
      await page.goto(`${dash.url}${p}`);
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await expect.poll(async () => page.getByTestId('live').textContent()).toMatch(/live/);
      await noSideScroll();
      await page.screenshot({ path: join(SHOTS, `${p === '/' ? 'overview' : p.slice(1)}.png`), fullPage: true });
    }
    await page.goto(`${dash.url}/alerts`);
    await expect.poll(async () => page.getByTestId('alerts-list').textContent()).toContain('KILL_SWITCH');
    await page.goto(`${dash.url}/journal`);
    await page.locator('[data-testid="journal-table"] tr[data-seq]').first().click();
    await expect.poll(async () => page.getByTestId('event-link').textContent()).toMatch(/OK/);

    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login$/);
    const res = await page.request.get(`${dash.url}/api/state`);
    expect(res.status()).toBe(401);
  }, 300_000);
});
