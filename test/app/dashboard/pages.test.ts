import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PAGE_PATHS, pageHtml, type PageName } from '../../../src/app/dashboard/pages.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PAGES = Object.keys(PAGE_PATHS) as PageName[];
const NAV_PAGES = PAGES.filter((p) => p !== 'login');

/** Every start tag with its attribute text, e.g. ['a', ' href="/" aria-current="page"']. */
const tags = (html: string): [string, string][] =>
  [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)(\s[^>]*)?>/g)].map((m) => [m[1]!.toLowerCase(), m[2] ?? '']);

describe('dashboard page shells', () => {
  it('maps each page to its path', () => {
    expect(PAGE_PATHS).toEqual({
      login: '/login', overview: '/', positions: '/positions', orders: '/orders', risk: '/risk', alerts: '/alerts', journal: '/journal',
    });
  });

  describe.each(PAGES)('%s', (page) => {
    const html = pageHtml(page);

    it('is a complete HTML5 document with the viewport meta, the stylesheet and the app module', () => {
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).toMatch(/<\/html>\s*$/);
      expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
      expect(html).toContain('<link rel="stylesheet" href="/assets/app.css">');
      expect(html).toContain('<script type="module" src="/assets/app.js"></script>');
      expect(html).toContain(`<body data-page="${page}">`);
    });

    it('has no inline script, no inline event handler and no style attribute (CSP: script-src/style-src self)', () => {
      for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
        expect(m[1]).toMatch(/\ssrc="\/assets\/[a-z.]+\.js"/);
        expect(m[2]).toBe('');
      }
      expect(html).not.toMatch(/<style\b/i);
      for (const [tag, attrs] of tags(html)) {
        expect(attrs, `<${tag}${attrs}>`).not.toMatch(/\son[a-z]+\s*=/i);
        expect(attrs, `<${tag}${attrs}>`).not.toMatch(/\sstyle\s*=/i);
        expect(attrs, `<${tag}${attrs}>`).not.toMatch(/javascript:/i);
      }
    });

    it('sends no Referer: its one referrer meta says no-referrer, as the header does (a meta tag overrides the header)', () => {
      const metas = tags(html).filter(([t, a]) => t === 'meta' && /\sname="referrer"/i.test(a));
      expect(metas.map(([, a]) => /\scontent="([^"]*)"/.exec(a)?.[1])).toEqual(['no-referrer']);
      for (const [tag, attrs] of tags(html)) expect(attrs, `<${tag}${attrs}>`).not.toMatch(/\sreferrerpolicy\s*=/i);
    });

    it('loads ECharts on the overview only', () => {
      expect(html.includes('<script src="/assets/echarts.min.js" defer></script>')).toBe(page === 'overview');
    });

    it('uses each data-testid and id once', () => {
      for (const attr of ['data-testid', 'id']) {
        const values = [...html.matchAll(new RegExp(`\\s${attr}="([^"]+)"`, 'g'))].map((m) => m[1]);
        expect(new Set(values).size, attr).toBe(values.length);
      }
    });
  });

  describe.each(NAV_PAGES)('%s (signed in)', (page) => {
    const html = pageHtml(page);

    it('links the six pages and marks only the current one with aria-current', () => {
      const links = tags(html).filter(([t, a]) => t === 'a' && /\shref="/.test(a) && !/class="brand"/.test(a));
      const navLinks = links.filter(([, a]) => NAV_PAGES.some((p) => a.includes(`href="${PAGE_PATHS[p]}"`)));
      for (const p of NAV_PAGES) expect(navLinks.some(([, a]) => a.includes(`href="${PAGE_PATHS[p]}"`)), p).toBe(true);
      const current = tags(html).filter(([, a]) => a.includes('aria-current="page"'));
      expect(current).toHaveLength(1);
      expect(current[0]![1]).toContain(`href="${PAGE_PATHS[page]}"`);
    });

    it('has the header (product, live, user, logout), the trading-state badge, the kill switch and its step-up panel', () => {
      expect(html).toContain('>ashare</a>');
      for (const id of ['live', 'user', 'logout', 'trading-state', 'kill-switch', 'step-up', 'step-up-totp', 'step-up-why', 'step-up-confirm', 'action-result']) {
        expect(html, id).toContain(`data-testid="${id}"`);
      }
      expect(html).toMatch(/data-testid="kill-switch"[^>]*>Engage kill switch</);
      expect(html).toMatch(/<form [^>]*data-testid="step-up"[^>]* hidden/);
    });
  });

  it('gives each page its containers', () => {
    const want: Record<Exclude<PageName, 'login'>, string[]> = {
      overview: ['overview-cards', 'equity-chart', 'alerts-summary'],
      positions: ['positions-table', 'working-orders-table'],
      orders: ['orders-day', 'orders-table', 'fills-table'],
      risk: ['limits-table', 'denials-table', 'stops-table', 'state-changes-table'],
      alerts: ['alerts-list'],
      journal: ['journal-day', 'journal-type', 'journal-symbol', 'journal-apply', 'journal-table', 'event-detail', 'journal-more'],
    };
    for (const [page, ids] of Object.entries(want)) {
      const html = pageHtml(page as PageName);
      for (const id of ids) expect(html, `${page}: ${id}`).toContain(`data-testid="${id}"`);
    }
    expect(pageHtml('overview')).toContain('id="equity-chart"');
    expect(pageHtml('orders')).toMatch(/<select [^>]*data-testid="orders-day"/);
  });

  it('the login page has the sign-in form and no signed-in controls', () => {
    const html = pageHtml('login');
    for (const id of ['login-username', 'login-password', 'login-totp', 'login-submit', 'login-error']) {
      expect(html, id).toContain(`data-testid="${id}"`);
    }
    const totp = tags(html).find(([, a]) => a.includes('data-testid="login-totp"'))![1];
    expect(totp).toContain('inputmode="numeric"');
    expect(totp).toContain('autocomplete="one-time-code"');
    expect(totp).toContain('maxlength="6"');
    expect(tags(html).find(([, a]) => a.includes('data-testid="login-password"'))![1]).toContain('type="password"');
    expect(tags(html).find(([, a]) => a.includes('data-testid="login-error"'))![1]).toContain('role="alert"');
    expect(html).toMatch(/<form [^>]*method="post"/);
    for (const id of ['kill-switch', 'trading-state', 'logout', 'live']) expect(html, id).not.toContain(`data-testid="${id}"`);
    expect(html).not.toContain('aria-current');
  });
});

describe('dashboard browser bundle', () => {
  const appJs = join(repo, 'src', 'app', 'dashboard', 'public', 'app.js');

  it('app.js parses as JavaScript (node --check)', () => {
    expect(() => execFileSync(process.execPath, ['--check', appJs], { stdio: 'pipe' })).not.toThrow();
  });

  it('builds the page with DOM APIs only: no HTML parsing of data, no eval', () => {
    const src = readFileSync(appJs, 'utf8').replace(/^\s*\/\/.*$/gm, ''); // code, not its comments
    for (const bad of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function', 'setAttribute(\'on', '.style.']) {
      expect(src.includes(bad), bad).toBe(false);
    }
  });
});
