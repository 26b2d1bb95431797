/*
 * The dashboard's HTML shells. Each page is a static document: the containers are empty and
 * /assets/app.js fills them from the JSON API. Nothing here is inline script, an inline event
 * handler or a style attribute, so the CSP can stay `script-src 'self'; style-src 'self'`.
 * No request data reaches these strings: a shell is the same for every user and every request.
 */

export type PageName = 'login' | 'overview' | 'positions' | 'orders' | 'risk' | 'alerts' | 'journal';

export const PAGE_PATHS: Readonly<Record<PageName, string>> = Object.freeze({
  login: '/login',
  overview: '/',
  positions: '/positions',
  orders: '/orders',
  risk: '/risk',
  alerts: '/alerts',
  journal: '/journal',
});

const TITLES: Readonly<Record<PageName, string>> = {
  login: 'Sign in', overview: 'Overview', positions: 'Positions', orders: 'Orders',
  risk: 'Risk', alerts: 'Alerts', journal: 'Journal',
};

const NAV: readonly PageName[] = ['overview', 'positions', 'orders', 'risk', 'alerts', 'journal'];

/** A table inside a container that scrolls sideways, so a wide table never widens the page. */
const table = (id: string, label: string): string =>
  `<div class="table-wrap"><table id="${id}" data-testid="${id}" aria-label="${label}"></table></div>`;

const section = (title: string, body: string, cls = 'panel'): string =>
  `<section class="${cls}"><h2>${title}</h2>${body}</section>`;

const MAIN: Readonly<Record<Exclude<PageName, 'login'>, string>> = {
  overview: [
    '<div id="overview-cards" class="cards" data-testid="overview-cards"></div>',
    section('Equity', '<div id="equity-chart" class="chart" data-testid="equity-chart" role="img" aria-label="Equity curve"></div>'),
    section('Active alerts', '<div id="alerts-summary" data-testid="alerts-summary"></div><p><a href="/alerts">All alerts →</a></p>'),
  ].join(''),
  positions: [
    section('Positions', table('positions-table', 'Positions')),
    section('Working orders', table('working-orders-table', 'Working orders')),
  ].join(''),
  orders: [
    '<form id="orders-filter" class="filters" data-testid="orders-filter"><label>Trading day '
      + '<select id="orders-day" data-testid="orders-day" name="day"></select></label></form>',
    section('Orders', table('orders-table', 'Orders')),
    section('Fills', table('fills-table', 'Fills')),
  ].join(''),
  risk: [
    section('Limits', table('limits-table', 'Limits and usage')),
    section('Denials by rule', table('denials-by-rule-table', 'Denials by rule')),
    section('Recent denials', table('denials-table', 'Recent denials')),
    section('Stops', table('stops-table', 'Stops')),
    section('Trading-state changes', table('state-changes-table', 'Trading-state changes')),
  ].join(''),
  alerts: section('Alerts', '<ul id="alerts-list" class="alerts" data-testid="alerts-list"></ul>'),
  journal: [
    '<form id="journal-filter" class="filters" data-testid="journal-filter" autocomplete="off">'
      + '<label>Day <input id="journal-day" data-testid="journal-day" name="day" placeholder="YYYY-MM-DD" maxlength="10" inputmode="numeric"></label>'
      + '<label>Type <input id="journal-type" data-testid="journal-type" name="type" placeholder="e.g. OrderFilled" maxlength="64" list="journal-types"></label>'
      + '<label>Symbol <input id="journal-symbol" data-testid="journal-symbol" name="symbol" placeholder="600000.SH" maxlength="16"></label>'
      + '<datalist id="journal-types"></datalist>'
      + '<span class="buttons"><button type="submit" data-testid="journal-apply">Apply</button>'
      + '<button type="button" id="journal-reset" data-testid="journal-reset" class="secondary">Clear</button></span></form>',
    '<section id="event-detail" class="panel detail" data-testid="event-detail" hidden aria-live="polite"></section>',
    section('Events', '<p id="journal-status" class="muted" data-testid="journal-status"></p>'
      + table('journal-table', 'Journal events')
      + '<p class="pager"><button type="button" id="journal-first" data-testid="journal-first" class="secondary">Oldest</button>'
      + '<button type="button" id="journal-more" data-testid="journal-more" class="secondary" hidden>Load more</button>'
      + '<button type="button" id="journal-latest" data-testid="journal-latest" class="secondary">Latest</button></p>'),
  ].join(''),
};

function header(page: PageName): string {
  if (page === 'login') return '<header class="topbar"><a class="brand" href="/">ashare</a></header>';
  const links = NAV.map((p) => `<li><a href="${PAGE_PATHS[p]}"${p === page ? ' aria-current="page"' : ''}>${TITLES[p]}</a></li>`).join('');
  return '<header class="topbar">'
    + '<a class="brand" href="/">ashare</a>'
    + `<nav aria-label="Main"><ul>${links}</ul></nav>`
    + '<div class="session">'
    + '<span class="live" data-testid="live" role="status" aria-live="polite">connecting…</span>'
    + '<span class="user" data-testid="user"></span>'
    + '<button type="button" class="secondary small" data-testid="logout">Log out</button>'
    + '</div></header>'
    + controls();
}

/** The trading-state badge, the kill switch and the step-up panel every action goes through. */
function controls(): string {
  return '<section class="controls" aria-label="Trading state and kill switch">'
    + '<span class="controls-label">Trading state</span>'
    + '<span class="badge" data-testid="trading-state">…</span>'
    + '<button type="button" class="danger" data-testid="kill-switch" disabled>Engage kill switch</button>'
    + '<form class="step-up" data-testid="step-up" method="post" action="#" hidden autocomplete="off">'
    + '<p class="step-up-title" id="step-up-title">Confirm with your authenticator code</p>'
    + '<label>Code <input data-testid="step-up-totp" name="totp" inputmode="numeric" autocomplete="one-time-code" maxlength="6" pattern="[0-9]{6}" required></label>'
    + '<label class="step-up-why">Reason <input data-testid="step-up-why" name="why" maxlength="500" placeholder="optional"></label>'
    + '<span class="buttons"><button type="submit" class="danger" data-testid="step-up-confirm">Confirm</button>'
    + '<button type="button" class="secondary" data-testid="step-up-cancel">Cancel</button></span>'
    + '</form>'
    + '<p class="action-result" data-testid="action-result" role="status" aria-live="polite"></p>'
    + '</section>';
}

function loginMain(): string {
  return '<main class="login"><form class="panel login-form" id="login-form" data-testid="login-form" method="post" action="/login">'
    + '<h1>Sign in to ashare</h1>'
    + '<label>User name <input data-testid="login-username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64"></label>'
    + '<label>Password <input data-testid="login-password" name="password" type="password" autocomplete="current-password" required maxlength="1024"></label>'
    + '<label>Authenticator code <input data-testid="login-totp" name="totp" inputmode="numeric" autocomplete="one-time-code" maxlength="6" pattern="[0-9]{6}" required></label>'
    + '<button type="submit" data-testid="login-submit">Sign in</button>'
    + '<p class="error" data-testid="login-error" role="alert"></p>'
    + '</form></main>';
}

/** The complete HTML5 document of one dashboard page (the same bytes for every request). */
export function pageHtml(page: PageName): string {
  const chart = page === 'overview' ? '<script src="/assets/echarts.min.js" defer></script>' : '';
  const main = page === 'login' ? loginMain() : `<main id="main"><h1 class="visually-hidden">${TITLES[page]}</h1>`
    + '<p class="error page-error" data-testid="page-error" role="alert" hidden></p>'
    + `${MAIN[page]}</main>`;
  return '<!doctype html>\n<html lang="en"><head>'
    + '<meta charset="utf-8">'
    + '<meta name="viewport" content="width=device-width, initial-scale=1">'
    // The same as the Referrer-Policy header: a meta tag would override it for the page's links and requests.
    + '<meta name="referrer" content="no-referrer">'
    + `<title>${TITLES[page]} · ashare</title>`
    + '<link rel="stylesheet" href="/assets/app.css">'
    + chart
    + '<script type="module" src="/assets/app.js"></script>'
    + `</head><body data-page="${page}">`
    + header(page)
    + main
    + '</body></html>\n';
}
