// ashare dashboard, browser side: one vanilla ES module, no framework, no build step.
// Everything the server sends is data: it reaches the page through textContent and DOM APIs
// only (never innerHTML), because journal text (alert messages, reasons, symbols) is untrusted.

const PAGE = document.body.dataset.page ?? '';
const byTestId = (id) => document.querySelector(`[data-testid="${id}"]`);

// ───────────────────────────── formatting ─────────────────────────────
const DASH = '—';
const TZ = 'Asia/Shanghai';
const fmt2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const fmt0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const timeFmt = new Intl.DateTimeFormat('en-CA', {
  timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});
const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
/** Money and prices in CNY: thousands separators, 2 decimals. */
const money = (v) => (isNum(v) ? fmt2.format(v) : DASH);
const signedMoney = (v) => (isNum(v) ? (v > 0 ? '+' : '') + fmt2.format(v) : DASH);
const count = (v) => (isNum(v) ? fmt0.format(v) : DASH);
/** A fraction (0.0512) shown as a percentage (5.12%). */
const pct = (f) => (isNum(f) ? `${fmt2.format(f * 100)}%` : DASH);
const text = (v) => (v === null || v === undefined || v === '' ? DASH : String(v));
const trend = (v) => (!isNum(v) || v === 0 ? '' : v > 0 ? 'up' : 'down');
const compact = (v) => (v === null || v === undefined ? DASH : typeof v === 'string' ? v : JSON.stringify(v));
const clip = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** `occurredAt`/`at`/`recordedAt` come as ISO strings or epoch ms; both become Shanghai wall time. */
function toDate(v) {
  if (isNum(v)) return new Date(v);
  if (typeof v === 'string' && v !== '') {
    const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    if (Number.isFinite(ms)) return new Date(ms);
  }
  return null;
}
function time(v) {
  const d = toDate(v);
  if (!d) return text(v);
  const p = Object.fromEntries(timeFmt.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}
function ago(seconds) {
  if (!isNum(seconds)) return DASH;
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${fmt2.format(seconds / 3600)} h`;
}

// ───────────────────────────── DOM helpers ─────────────────────────────
/** Builds an element; attributes go through setAttribute, children are nodes or text. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}
const seqLink = (seq) => (isNum(seq) ? h('a', { href: `/journal?seq=${seq}` }, `#${seq}`) : DASH);

/**
 * Fills a <table>: columns are {label, cell(row) → text|Node, num?, cls?(row), wrap?}.
 * An empty list becomes one "empty" row saying so.
 */
function renderTable(table, columns, rows, { empty, rowAttrs } = {}) {
  if (!table) return;
  const head = h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label))));
  const body = h('tbody');
  if (!rows || rows.length === 0) body.append(h('tr', { class: 'empty' }, h('td', { colspan: columns.length }, empty ?? 'nothing to show')));
  for (const r of rows ?? []) body.append(h('tr', rowAttrs ? rowAttrs(r) : null, columns.map((c) => cellOf(c, r))));
  table.replaceChildren(head, body);
}
function cellOf(c, r) {
  const cls = [c.num ? 'num' : '', c.wrap ? 'wrap' : '', c.cls ? c.cls(r) : ''].filter(Boolean).join(' ');
  return h('td', { class: cls || null }, c.cell(r));
}

function showPageError(message) {
  const el = byTestId('page-error');
  if (!el) return;
  el.textContent = message ?? '';
  el.hidden = !message;
}

// ───────────────────────────── HTTP ─────────────────────────────
let csrfToken = null;
let leaving = false;
function toLogin() {
  if (leaving) return;
  leaving = true;
  stopSocket();
  location.assign('/login');
}
class HttpError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}
async function readJson(res) {
  try { return await res.json(); } catch { return null; }
}
/** The message of an error answer: our `{error}`, or fastify's own `{statusCode, error, message}`. */
function errorText(body, status) {
  if (body && typeof body === 'object') {
    if (isNum(body.statusCode) && typeof body.message === 'string' && body.message) return body.message;
    if (typeof body.error === 'string' && body.error) return body.error;
    if (typeof body.message === 'string' && body.message) return body.message;
  }
  if (status === 0) return 'cannot reach the dashboard server';
  if (status === 429) return 'too many attempts: wait a minute and try again';
  return `request failed (HTTP ${status})`;
}
/** GET JSON; a 401 anywhere means the session ended, so the page goes to /login. */
async function getJson(path) {
  let res;
  try {
    res = await fetch(path, { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } });
  } catch {
    throw new HttpError(0, errorText(null, 0));
  }
  if (res.status === 401) { toLogin(); throw new HttpError(401, 'signed out'); }
  const body = await readJson(res);
  if (!res.ok) throw new HttpError(res.status, errorText(body, res.status));
  return body ?? {};
}
/** A state-changing request: JSON body, CSRF header, same-origin cookies. Never throws on HTTP status. */
async function postJson(path, payload) {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let res;
  try {
    res = await fetch(path, { method: 'POST', credentials: 'same-origin', cache: 'no-store', headers, body: JSON.stringify(payload ?? {}) });
  } catch {
    return { status: 0, body: null };
  }
  return { status: res.status, body: await readJson(res) };
}

// ───────────────────────────── login page ─────────────────────────────
function startLogin() {
  const form = document.getElementById('login-form');
  const user = byTestId('login-username'), pass = byTestId('login-password'), totp = byTestId('login-totp');
  const submit = byTestId('login-submit'), error = byTestId('login-error');
  form.noValidate = true; // the server is the judge; its answer is shown in login-error
  user.focus();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    const { status, body } = await postJson('/api/login', { username: user.value.trim(), password: pass.value, totp: totp.value.trim() });
    if (status >= 200 && status < 300) {
      location.assign('/');
      return;
    }
    submit.disabled = false;
    pass.value = '';
    totp.value = '';
    error.textContent = errorText(body, status);
    (user.value ? pass : user).focus();
  });
}

// ───────────────────────────── session, header, idle ─────────────────────────────
async function startSession() {
  const me = await getJson('/api/me');
  csrfToken = typeof me.csrfToken === 'string' ? me.csrfToken : null;
  const u = me.user;
  const name = typeof u === 'string' ? u : u && typeof u === 'object' ? (u.username ?? u.name ?? u.user ?? '') : '';
  byTestId('user').textContent = String(name);
  watchIdle(me.idleTimeoutSeconds);
}
async function logout() {
  await postJson('/api/logout', {});
  toLogin();
}
/**
 * Live frames refresh the page by themselves, so without this a forgotten tab would keep its
 * session alive for ever: after `idleTimeoutSeconds` without a key, click or touch, sign out.
 */
function watchIdle(seconds) {
  if (!isNum(seconds) || seconds <= 0) return;
  let last = Date.now();
  const touch = () => { last = Date.now(); };
  for (const ev of ['pointerdown', 'keydown', 'wheel', 'touchstart']) addEventListener(ev, touch, { capture: true, passive: true });
  setInterval(() => { if (Date.now() - last > seconds * 1000) void logout(); }, Math.min(5000, seconds * 250));
}

let tradingState = null;
function renderTradingState(state) {
  if (state === undefined) return;
  tradingState = state;
  const badge = byTestId('trading-state'), kill = byTestId('kill-switch');
  if (badge) {
    badge.textContent = text(state);
    badge.className = `badge state-${state}`;
  }
  if (kill) {
    kill.disabled = false;
    kill.textContent = state === 'HALTED' ? 'Release kill switch' : 'Engage kill switch';
  }
}
let initialSeqTaken = false;
/** /api/state feeds the header on every page; its journal head is where the live feed starts. */
async function loadState() {
  const s = await getJson('/api/state');
  renderTradingState(s.tradingState ?? null);
  if (!initialSeqTaken && isNum(s.journal?.lastSeq)) lastSeq = Math.max(lastSeq, s.journal.lastSeq);
  return s;
}

// ───────────────────────────── step-up actions ─────────────────────────────
const stepUp = { run: null, kind: null };
let pending = null; // {commandId, kind, received}
function setResult(message, tone) {
  const el = byTestId('action-result');
  if (!el) return;
  el.textContent = message;
  el.className = `action-result${tone ? ` is-${tone}` : ''}`;
}
/** Adds a line under the result (the first sentence stays, so a reader or a test still sees it). */
function addProgress(message, tone) {
  const el = byTestId('action-result');
  if (!el) return;
  let p = el.querySelector('[data-testid="action-progress"]');
  if (!p) { p = h('span', { 'data-testid': 'action-progress' }); el.append(' ', p); }
  p.textContent = message;
  el.className = `action-result is-${tone}`;
}
function openStepUp({ title, confirmLabel, withWhy, kind, run }) {
  const form = byTestId('step-up');
  stepUp.run = run;
  stepUp.kind = kind;
  form.querySelector('.step-up-title').textContent = title;
  byTestId('step-up-confirm').textContent = confirmLabel;
  form.querySelector('.step-up-why').hidden = !withWhy;
  byTestId('step-up-totp').value = '';
  byTestId('step-up-why').value = '';
  setResult('', '');
  form.hidden = false;
  form.scrollIntoView({ block: 'nearest' });
  byTestId('step-up-totp').focus();
}
function closeStepUp() {
  byTestId('step-up').hidden = true;
  byTestId('step-up-totp').value = '';
  byTestId('step-up-why').value = '';
  stepUp.run = null;
}
async function confirmStepUp() {
  if (!stepUp.run) return;
  const totpEl = byTestId('step-up-totp'), confirm = byTestId('step-up-confirm');
  const totp = totpEl.value.trim();
  if (!/^\d{6}$/.test(totp)) {
    setResult('enter the 6-digit code from your authenticator app', 'error');
    totpEl.focus();
    return;
  }
  confirm.disabled = true;
  const kind = stepUp.kind;
  const { status, body } = await stepUp.run(totp, byTestId('step-up-why').value.trim());
  confirm.disabled = false;
  if (status >= 200 && status < 300) {
    closeStepUp();
    pending = typeof body?.commandId === 'string' ? { commandId: body.commandId, kind, received: false } : null;
    setResult('sent to the service, waiting for it to journal it…', 'ok');
    scheduleRefresh();
    return;
  }
  // 401 here is a failed step-up (a wrong code), not an ended session: say so, stay on the page.
  setResult(errorText(body, status), 'error');
  totpEl.value = '';
  totpEl.focus();
}
/** Follows a command through the journal: received, then applied (or rejected). */
function trackCommand(f) {
  if (!pending) return;
  const d = f.data ?? {};
  if (d.commandId === pending.commandId) {
    if (f.type === 'OperatorCommandReceived') {
      pending.received = true;
      addProgress(`journaled at seq ${f.seq}.`, 'ok');
    } else if (f.type === 'OperatorCommandRejected') {
      addProgress(`the service did not apply it: ${text(d.reason)}`, 'error');
      pending = null;
    } else if (f.type === 'AlertAcknowledged') {
      addProgress(`alert acknowledged (seq ${f.seq}).`, 'ok');
      pending = null;
    }
  } else if (pending.received && pending.kind === 'kill' && f.type === 'TradingStateChanged') {
    addProgress(`trading state is now ${text(d.to)} (seq ${f.seq}).`, 'ok');
    pending = null;
  }
}
function wireControls() {
  byTestId('logout')?.addEventListener('click', () => void logout());
  const form = byTestId('step-up');
  if (!form) return;
  form.noValidate = true;
  form.addEventListener('submit', (e) => { e.preventDefault(); void confirmStepUp(); });
  byTestId('step-up-cancel').addEventListener('click', closeStepUp);
  form.addEventListener('keydown', (e) => { if (e.key === 'Escape') closeStepUp(); });
  byTestId('kill-switch').addEventListener('click', () => {
    const engage = tradingState !== 'HALTED';
    openStepUp({
      kind: 'kill',
      title: engage ? 'Engage the kill switch: every new order will be denied (HALTED).' : 'Release the kill switch: trading may resume.',
      confirmLabel: engage ? 'Engage' : 'Release',
      withWhy: true,
      run: (totp, why) => postJson('/api/actions/kill-switch', { engage, totp, why }),
    });
  });
}

// ───────────────────────────── live feed ─────────────────────────────
let lastSeq = 0;
let socket = null;
let backoffMs = 500;
let reconnectTimer = null;
function setLive(state) {
  const el = byTestId('live');
  if (!el) return;
  el.classList.toggle('is-live', state === 'live');
  el.classList.toggle('is-down', state === 'down');
  el.textContent = state === 'live' ? `live · seq ${lastSeq}` : state === 'down' ? 'reconnecting…' : 'connecting…';
}
function connect() {
  initialSeqTaken = true;
  reconnectTimer = null;
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(`${proto}//${location.host}/ws?afterSeq=${lastSeq}`);
  socket = ws;
  ws.addEventListener('open', () => {
    backoffMs = 500;
    setLive('live');
    scheduleRefresh(); // catch up on whatever changed while the feed was down
  });
  ws.addEventListener('message', (m) => onFrame(m.data));
  ws.addEventListener('error', () => setLive('down'));
  ws.addEventListener('close', (ev) => {
    if (socket !== ws) return;
    socket = null;
    if (ev.code === 4401) { toLogin(); return; }
    if (leaving) return;
    setLive('down');
    reconnectTimer = setTimeout(connect, backoffMs);
    backoffMs = Math.min(backoffMs * 2, 5000);
  });
}
function stopSocket() {
  if (reconnectTimer) clearTimeout(reconnectTimer);
  const ws = socket;
  socket = null;
  if (ws) ws.close(1000);
}
function onFrame(raw) {
  let f;
  try { f = JSON.parse(typeof raw === 'string' ? raw : ''); } catch { return; }
  if (!f || typeof f !== 'object' || !Number.isInteger(f.seq)) return;
  if (f.seq <= lastSeq) return; // a replayed or duplicated frame: already seen
  lastSeq = f.seq;
  setLive('live');
  trackCommand(f);
  page.onFrame?.(f);
  scheduleRefresh();
}

// ───────────────────────────── refresh (coalesced) ─────────────────────────────
const REFRESH_GAP_MS = 300;
let refreshTimer = null, refreshing = false, refreshAgain = false, lastRefreshAt = 0;
/** At most one refresh per 300 ms, however many frames arrive; never two at once. */
function scheduleRefresh() {
  if (refreshTimer) return;
  if (refreshing) { refreshAgain = true; return; }
  refreshTimer = setTimeout(runRefresh, Math.max(0, lastRefreshAt + REFRESH_GAP_MS - Date.now()));
}
async function runRefresh() {
  refreshTimer = null;
  refreshing = true;
  lastRefreshAt = Date.now();
  try {
    await page.refresh();
    showPageError(null);
  } catch (e) {
    if (e?.status !== 401) showPageError(e instanceof Error ? e.message : String(e));
  } finally {
    refreshing = false;
    if (refreshAgain) { refreshAgain = false; scheduleRefresh(); }
  }
}

// ───────────────────────────── overview ─────────────────────────────
function card(testid, title, value, { sub, valueCls, tone, extra } = {}) {
  return h('div', { class: `card${tone ? ` is-${tone}` : ''}`, 'data-testid': testid },
    h('h3', null, title),
    h('div', { class: `value${valueCls ? ` ${valueCls}` : ''}` }, value),
    sub ? h('div', { class: 'sub' }, sub) : null,
    extra ?? null);
}
/** A usage bar: green while low, amber past 60 % of the limit, red past 85 %. */
function usageMeter(value, limit) {
  if (!isNum(value) || !isNum(limit) || limit <= 0) return null;
  const m = h('meter', { min: 0, max: limit, low: limit * 0.6, high: limit * 0.85, optimum: 0, value: Math.max(0, Math.min(value, limit)) });
  m.title = `${fmt2.format((value / limit) * 100)}% of the limit`;
  return m;
}
function renderOverview(s) {
  const equity = s.equity, prev = isNum(equity) && isNum(s.dayPnl) ? equity - s.dayPnl : null;
  const dd = s.drawdown ?? {};
  const ddNow = isNum(dd.current) ? Math.abs(dd.current) : null;
  const ddTone = isNum(ddNow) && isNum(dd.limit) && dd.limit > 0 ? (ddNow >= dd.limit ? 'critical' : ddNow >= dd.limit * 0.8 ? 'warning' : '') : '';
  const svc = s.service ?? {};
  const svcValue = s.readOnly ? 'not running — read-only' : svc.running ? 'running' : 'not running';
  const svcSub = [isNum(svc.pid) ? `pid ${svc.pid}` : null, svc.mode ? String(svc.mode) : null,
    svc.step ? `step ${svc.step}${svc.stepDay ? ` (${svc.stepDay})` : ''}` : null,
    svc.heartbeatAt || isNum(svc.heartbeatAgeSeconds) ? `heartbeat ${ago(svc.heartbeatAgeSeconds)} ago` : 'no heartbeat'].filter(Boolean).join(' · ');
  const data = s.data ?? {};
  const j = s.journal ?? {};
  const v = j.verify;
  const verifyText = !v ? 'not verified yet' : v.ok ? `verified to seq ${text(v.lastSeq)}${isNum(v.anchoredSeq) ? `, anchored at seq ${v.anchoredSeq}` : ''} at ${time(v.checkedAt)}` : `verify FAILED: ${text(v.reason)}`;
  const state = s.tradingState ?? null;
  byTestId('overview-cards').replaceChildren(
    card('card-equity', 'Equity (CNY)', money(equity), { sub: `${text(s.day)} · as of ${time(s.asOf)}` }),
    card('card-day-pnl', 'Day P&L (CNY)', signedMoney(s.dayPnl), { valueCls: trend(s.dayPnl), sub: prev ? pct(s.dayPnl / prev) : null }),
    card('card-cash', 'Cash (CNY)', money(s.cash), { sub: isNum(equity) && equity > 0 && isNum(s.cash) ? `${pct(s.cash / equity)} of equity` : null }),
    card('card-exposure', 'Exposure', pct(s.exposure), { sub: 'positions value / equity' }),
    card('card-drawdown', 'Drawdown', pct(ddNow), {
      tone: ddTone, sub: `limit ${pct(dd.limit)} · peak ${money(dd.peakEquity)}`, extra: usageMeter(ddNow, dd.limit),
    }),
    card('card-trading-state', 'Trading state', text(state), { tone: state === 'HALTED' ? 'critical' : state === 'REDUCING' ? 'warning' : '' }),
    card('card-service', 'Service', svcValue, { sub: svcSub, tone: s.readOnly || !svc.running ? 'warning' : '' }),
    card('card-data', 'Market data', text(data.lastBarDay), { sub: data.stale ? 'stale' : 'fresh', tone: data.stale ? 'warning' : '' }),
    airgapCard(s.airgap),
    card('card-journal', 'Journal head', `seq ${count(j.lastSeq)}`, {
      sub: h('span', null, h('code', null, typeof j.headHash === 'string' ? j.headHash.slice(0, 16) : DASH), ' · ',
        h('span', { class: v && !v.ok ? 'bad' : v?.ok ? 'ok' : '' }, verifyText)),
      tone: v && !v.ok ? 'critical' : '',
    }),
  );
  renderEquityChart(Array.isArray(s.equityCurve) ? s.equityCurve : []);
  renderAlertsSummary(Array.isArray(s.alerts) ? s.alerts : []);
}
/** The air gap (issue: nothing leaves the machine in trading hours but orders to the broker). */
function airgapCard(a) {
  if (!a || !a.enabled) return card('card-airgap', 'Air gap', 'off', { sub: 'airgap.enabled is not set: nothing is enforced', tone: 'warning' });
  const sub = [a.window ? `window ${a.window}` : null, a.allow?.length ? `allows ${a.allow.join(', ')}` : 'allows nothing outside',
    a.since ? `${a.armed ? 'armed' : 'disarmed'} ${time(a.since)}` : null,
    a.blocked ? `${count(a.blocked)} attempt(s) blocked, last: ${a.lastBlocked}` : 'nothing blocked'].filter(Boolean).join(' · ');
  return card('card-airgap', 'Air gap', a.armed ? 'armed' : 'disarmed', { sub, tone: a.blocked ? 'warning' : '' });
}
let chart = null;
function renderEquityChart(curve) {
  const el = document.getElementById('equity-chart');
  const echarts = globalThis.echarts;
  if (!el) return;
  if (!echarts) { el.textContent = 'The chart library did not load.'; return; }
  if (!chart) {
    chart = echarts.init(el, null, { renderer: 'canvas' });
    addEventListener('resize', () => chart?.resize());
  }
  chart.setOption({
    animation: false,
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    // richText draws the tooltip on the canvas: no HTML is built from the data.
    tooltip: { trigger: 'axis', renderMode: 'richText', valueFormatter: (x) => money(x) },
    xAxis: { type: 'category', boundaryGap: false, data: curve.map((p) => String(p.day)) },
    yAxis: { type: 'value', scale: true, axisLabel: { formatter: (x) => fmt0.format(x) } },
    series: [{ name: 'Equity', type: 'line', showSymbol: false, color: '#2f5bd3', lineStyle: { width: 2 }, data: curve.map((p) => p.equity) }],
  });
}
function alertItem(a, withAck) {
  const level = a.level === 'critical' ? 'critical' : a.level === 'warning' ? 'warning' : 'info';
  const meta = [text(a.day), `raised ${time(a.at)}`, a.source === 'dashboard' ? 'from the dashboard' : 'from the journal',
    a.acknowledgedBy ? `acknowledged by ${a.acknowledgedBy}` : null,
    a.state === 'cleared' ? `cleared ${time(a.clearedAt)}` : null].filter(Boolean).join(' · ');
  const li = h('li', { class: `alert level-${level} state-${a.state === 'cleared' ? 'cleared' : 'active'}`, 'data-alert-id': text(a.id) },
    h('div', { class: 'alert-head' },
      h('span', { class: 'alert-level' }, level),
      h('span', { class: 'alert-code' }, text(a.code)),
      h('span', { class: 'muted' }, a.state === 'cleared' ? 'cleared' : 'active')),
    h('p', { class: 'alert-message' }, text(a.message)),
    h('div', { class: 'alert-meta' }, meta));
  if (withAck && a.source === 'journal' && a.state === 'active' && !a.acknowledgedBy) {
    const b = h('button', { type: 'button', class: 'secondary small ack', 'data-testid': `ack-${a.id}` }, 'Ack');
    b.addEventListener('click', () => openStepUp({
      kind: 'ack',
      title: `Acknowledge alert ${text(a.code)}: ${clip(text(a.message), 80)}`,
      confirmLabel: 'Acknowledge',
      withWhy: true,
      run: (totp, why) => postJson(`/api/alerts/${encodeURIComponent(String(a.id))}/ack`, why ? { totp, why } : { totp }),
    }));
    li.append(h('div', null, b));
  }
  return li;
}
function renderAlertsSummary(alerts) {
  const active = alerts.filter((a) => a.state !== 'cleared');
  const el = document.getElementById('alerts-summary');
  if (active.length === 0) { el.replaceChildren(h('p', { class: 'muted' }, 'No active alerts.')); return; }
  const crit = active.filter((a) => a.level === 'critical').length;
  el.replaceChildren(
    h('p', null, `${active.length} active alert${active.length === 1 ? '' : 's'} (${crit} critical, ${active.length - crit} warning)`),
    h('ul', { class: 'alerts summary' }, active.slice(0, 5).map((a) => alertItem(a, false))),
  );
}

// ───────────────────────────── positions ─────────────────────────────
const WORKING_ORDER_COLUMNS = [
  { label: 'Requested', cell: (o) => time(o.requestedAt) },
  { label: 'Order', cell: (o) => h('code', null, text(o.orderId)) },
  { label: 'Symbol', cell: (o) => text(o.symbol) },
  { label: 'Side', cell: (o) => text(o.side) },
  { label: 'Quantity', num: true, cell: (o) => count(o.quantity) },
  { label: 'Filled', num: true, cell: (o) => count(o.filled) },
  { label: 'Limit', num: true, cell: (o) => money(o.limitPrice) },
  { label: 'Status', cell: (o) => text(o.status) },
];
function renderPositions(s) {
  renderTable(byTestId('positions-table'), [
    { label: 'Symbol', cell: (p) => text(p.symbol) },
    { label: 'Quantity', num: true, cell: (p) => count(p.quantity) },
    { label: 'Sellable (T+1)', num: true, cell: (p) => count(p.sellable) },
    { label: 'Avg cost', num: true, cell: (p) => money(p.avgCost) },
    { label: 'Last', num: true, cell: (p) => money(p.lastPrice) },
    { label: 'Value', num: true, cell: (p) => money(p.marketValue) },
    { label: 'Unrealised P&L', num: true, cls: (p) => trend(p.unrealizedPnl), cell: (p) => signedMoney(p.unrealizedPnl) },
  ], s.positions ?? [], { empty: 'no positions', rowAttrs: (p) => ({ 'data-symbol': text(p.symbol) }) });
  renderTable(byTestId('working-orders-table'), WORKING_ORDER_COLUMNS, s.workingOrders ?? [],
    { empty: 'no working orders', rowAttrs: (o) => ({ 'data-order-id': text(o.orderId) }) });
}

// ───────────────────────────── orders ─────────────────────────────
let ordersDay = new URLSearchParams(location.search).get('day') ?? '';
function renderOrders(r) {
  const select = byTestId('orders-day');
  const days = Array.isArray(r.days) ? r.days.map(String) : [];
  if (r.day && !days.includes(String(r.day))) days.unshift(String(r.day));
  if (select.dataset.days !== days.join(',')) { // rebuild only when the list changed: an open picker stays open
    select.replaceChildren(...days.map((d) => h('option', { value: d }, d)));
    select.dataset.days = days.join(',');
  }
  if (r.day) { select.value = String(r.day); ordersDay = String(r.day); }
  renderTable(byTestId('orders-table'), [
    { label: 'Requested', cell: (o) => time(o.requestedAt) },
    { label: 'Order', cell: (o) => h('code', null, text(o.orderId)) },
    { label: 'Client order id', cell: (o) => h('code', null, text(o.clientOrderId)) },
    { label: 'Symbol', cell: (o) => text(o.symbol) },
    { label: 'Side', cell: (o) => text(o.side) },
    { label: 'Quantity', num: true, cell: (o) => count(o.quantity) },
    { label: 'Filled', num: true, cell: (o) => count(o.filled) },
    { label: 'Limit', num: true, cell: (o) => money(o.limitPrice) },
    { label: 'Avg price', num: true, cell: (o) => money(o.avgPrice) },
    { label: 'Status', cell: (o) => text(o.status) },
  ], r.orders ?? [], { empty: `no orders on ${text(r.day)}`, rowAttrs: (o) => ({ 'data-order-id': text(o.orderId) }) });
  renderTable(byTestId('fills-table'), [
    { label: 'Time', cell: (f) => time(f.at) },
    { label: 'Order', cell: (f) => h('code', null, text(f.orderId)) },
    { label: 'Symbol', cell: (f) => text(f.symbol) },
    { label: 'Side', cell: (f) => text(f.side) },
    { label: 'Quantity', num: true, cell: (f) => count(f.quantity) },
    { label: 'Price', num: true, cell: (f) => money(f.price) },
    { label: 'Fees', num: true, cell: (f) => money(f.fees) },
  ], r.fills ?? [], { empty: `no fills on ${text(r.day)}` });
}
function wireOrders() {
  byTestId('orders-day').addEventListener('change', (e) => {
    ordersDay = e.target.value;
    history.replaceState(null, '', `/orders?day=${encodeURIComponent(ordersDay)}`);
    scheduleRefresh();
  });
  document.getElementById('orders-filter').addEventListener('submit', (e) => e.preventDefault());
}

// ───────────────────────────── risk ─────────────────────────────
/** `fraction of equity (largest position)` and the like: shown as percentages. */
const isFractionUnit = (unit) => /^(fraction|ratio)\b/i.test(String(unit ?? ''));
/** A limit's figure in its own unit: fractions as percentages, CNY as money, counts as integers. */
function byUnit(v, unit) {
  if (!isNum(v)) return DASH;
  const u = String(unit ?? '').toLowerCase();
  if (isFractionUnit(unit)) return pct(v);
  if (u === 'cny' || u === 'yuan') return `${money(v)} CNY`;
  if (u === '%' || u === 'percent' || u === 'pct') return `${fmt2.format(v)}%`;
  const n = Number.isInteger(v) ? fmt0.format(v) : fmt2.format(v);
  return unit ? `${n} ${unit}` : n;
}
function renderRisk(r) {
  renderTradingState(r.tradingState);
  renderTable(byTestId('limits-table'), [
    { label: 'Limit', cell: (l) => (isFractionUnit(l.unit) ? h('span', null, text(l.name), h('br'), h('small', { class: 'muted' }, String(l.unit))) : text(l.name)) },
    { label: 'Usage', num: true, cell: (l) => byUnit(l.usage, l.unit) },
    { label: 'Limit value', num: true, cell: (l) => byUnit(l.limit, l.unit) },
    { label: 'Used', cell: (l) => h('span', null, isNum(l.usage) && isNum(l.limit) && l.limit > 0 ? pct(l.usage / l.limit) : DASH, usageMeter(l.usage, l.limit)) },
  ], r.limits ?? [], { empty: 'no limits configured', rowAttrs: (l) => ({ 'data-limit': text(l.name) }) });
  renderTable(byTestId('denials-by-rule-table'), [
    { label: 'Rule', cell: (d) => text(d.rule) },
    { label: 'Denials', num: true, cell: (d) => count(d.count) },
  ], r.denialsByRule ?? [], { empty: 'no denials' });
  renderTable(byTestId('denials-table'), [
    { label: 'Seq', cell: (d) => seqLink(d.seq) },
    { label: 'Time', cell: (d) => time(d.at) },
    { label: 'Order', cell: (d) => h('code', null, text(d.orderId)) },
    { label: 'Symbol', cell: (d) => text(d.symbol) },
    { label: 'Side', cell: (d) => text(d.side) },
    { label: 'Quantity', num: true, cell: (d) => count(d.quantity) },
    { label: 'Rule', cell: (d) => text(d.rule) },
    { label: 'Reason', wrap: true, cell: (d) => text(d.reason) },
    { label: 'Details', wrap: true, cell: (d) => h('code', null, compact(d.details)) },
  ], r.recentDenials ?? [], { empty: 'no denials', rowAttrs: (d) => ({ 'data-seq': text(d.seq) }) });
  renderTable(byTestId('stops-table'), [
    { label: 'Seq', cell: (s) => seqLink(s.seq) },
    { label: 'Time', cell: (s) => time(s.at) },
    { label: 'Symbol', cell: (s) => text(s.symbol) },
    { label: 'Kind', cell: (s) => text(s.kind) },
    { label: 'Details', wrap: true, cell: (s) => h('code', null, compact(s.details)) },
  ], r.stops ?? [], { empty: 'no stops', rowAttrs: (s) => ({ 'data-seq': text(s.seq) }) });
  renderTable(byTestId('state-changes-table'), [
    { label: 'Seq', cell: (c) => seqLink(c.seq) },
    { label: 'Time', cell: (c) => time(c.at) },
    { label: 'Change', cell: (c) => `${text(c.from)} → ${text(c.to)}` },
    { label: 'By', cell: (c) => text(c.by) },
    { label: 'Why', wrap: true, cell: (c) => text(c.why) },
  ], r.stateChanges ?? [], { empty: 'no trading-state changes', rowAttrs: (c) => ({ 'data-seq': text(c.seq) }) });
}

// ───────────────────────────── alerts ─────────────────────────────
function renderAlerts(r) {
  const alerts = Array.isArray(r.alerts) ? r.alerts : [];
  const list = byTestId('alerts-list');
  if (alerts.length === 0) { list.replaceChildren(h('li', { class: 'muted empty' }, 'no alerts')); return; }
  list.replaceChildren(...alerts.map((a) => alertItem(a, true)));
}

// ───────────────────────────── journal ─────────────────────────────
const EVENTS_LIMIT = 100;
const journal = {
  filters: { day: '', type: '', symbol: '' },
  afterSeq: 0, // where the shown range starts
  cursor: 0, // the afterSeq of the next page (or of the live catch-up once at the head)
  complete: false, // the shown range reaches the journal's head: live events are appended
  head: 0,
  rows: new Map(),
  types: new Set(),
  selected: null,
};
const journalQuery = (afterSeq) => {
  const q = new URLSearchParams({ afterSeq: String(afterSeq), limit: String(EVENTS_LIMIT) });
  for (const [k, v] of Object.entries(journal.filters)) if (v) q.set(k, v);
  return `/api/events?${q}`;
};
const frameSymbol = (e) => (e.data && typeof e.data === 'object' && typeof e.data.symbol === 'string' ? e.data.symbol : null);
function matchesFilters(e) {
  const f = journal.filters;
  return (!f.day || String(e.day ?? '') === f.day) && (!f.type || e.type === f.type) && (!f.symbol || JSON.stringify(e.data ?? null).includes(`"${f.symbol}"`)); // as the server filters
}
function eventRow(e, live) {
  const tr = h('tr', { 'data-seq': e.seq, tabindex: 0, class: [live ? 'is-live' : '', journal.selected === e.seq ? 'is-selected' : ''].filter(Boolean).join(' ') || null },
    h('td', { class: 'num' }, String(e.seq)),
    h('td', null, time(e.occurredAt)),
    h('td', null, text(e.type)),
    h('td', null, text(e.day)),
    h('td', null, text(frameSymbol(e))),
    h('td', { class: 'wrap' }, h('code', null, clip(compact(e.data), 160))),
    h('td', null, h('code', null, typeof e.hash === 'string' ? e.hash.slice(0, 12) : DASH)));
  return tr;
}
function journalBody() {
  const table = byTestId('journal-table');
  let body = table.tBodies[0];
  if (!body) {
    table.replaceChildren(h('thead', null, h('tr', null, ['Seq', 'Occurred', 'Type', 'Day', 'Symbol', 'Data', 'Hash'].map((l, i) => h('th', { scope: 'col', class: i === 0 ? 'num' : null }, l)))));
    body = h('tbody');
    table.append(body);
  }
  return body;
}
/** Adds or replaces an event's row, keeping the rows in seq order. */
function upsertEvent(e, live) {
  if (!Number.isInteger(e.seq)) return;
  const body = journalBody();
  body.querySelector('tr.empty')?.remove();
  const row = eventRow(e, live);
  const old = journal.rows.get(e.seq);
  journal.rows.set(e.seq, row);
  if (typeof e.type === 'string') journal.types.add(e.type);
  if (old) { old.replaceWith(row); return; }
  let after = body.lastElementChild;
  while (after && Number(after.dataset.seq) > e.seq) after = after.previousElementSibling;
  if (after) after.after(row); else body.prepend(row);
}
function renderJournalMeta() {
  const body = journalBody();
  if (journal.rows.size === 0 && !body.querySelector('tr.empty')) {
    body.append(h('tr', { class: 'empty' }, h('td', { colspan: 7 }, 'no events match')));
  }
  byTestId('journal-more').hidden = journal.complete;
  const seqs = [...journal.rows.keys()];
  const range = seqs.length ? `seq ${Math.min(...seqs)}–${Math.max(...seqs)}` : 'none';
  const live = journal.complete ? ' · new events appear as they are journaled' : '';
  byTestId('journal-status').textContent = `${seqs.length} event${seqs.length === 1 ? '' : 's'} shown (${range}) · journal head seq ${journal.head}${live}`;
  const list = document.getElementById('journal-types');
  if (list.childElementCount !== journal.types.size) list.replaceChildren(...[...journal.types].sort().map((t) => h('option', { value: t })));
}
function takePage(r, live = false) {
  const events = Array.isArray(r.events) ? r.events : [];
  for (const e of events) upsertEvent(e, live);
  const last = events.length ? events[events.length - 1].seq : null;
  journal.cursor = isNum(r.nextAfterSeq) ? r.nextAfterSeq : isNum(last) ? last : journal.cursor;
  journal.complete = events.length < EVENTS_LIMIT || r.nextAfterSeq === null;
  if (isNum(r.lastSeq)) journal.head = Math.max(journal.head, r.lastSeq);
  journal.head = Math.max(journal.head, lastSeq);
  renderJournalMeta();
}
/** Shows the range starting after `afterSeq` from scratch. */
async function loadJournal(afterSeq) {
  journal.afterSeq = afterSeq;
  journal.cursor = afterSeq;
  journal.complete = false;
  journal.rows.clear();
  journalBody().replaceChildren();
  syncJournalUrl();
  takePage(await getJson(journalQuery(afterSeq)));
}
function syncJournalUrl() {
  const q = new URLSearchParams();
  if (journal.afterSeq) q.set('afterSeq', String(journal.afterSeq));
  for (const [k, v] of Object.entries(journal.filters)) if (v) q.set(k, v);
  if (journal.selected !== null) q.set('seq', String(journal.selected));
  const s = q.toString();
  history.replaceState(null, '', `/journal${s ? `?${s}` : ''}`);
}
const chainSeq = (v) => (isNum(v) ? v : isNum(v?.seq) ? v.seq : null);
async function showEvent(seq) {
  if (!Number.isInteger(seq) || seq < 0) return;
  const panel = byTestId('event-detail');
  const e = await getJson(`/api/events/${seq}`).catch((err) => { if (err.status !== 401) showPageError(err.message); return null; });
  if (!e) return;
  journal.rows.get(journal.selected)?.classList.remove('is-selected');
  journal.selected = seq;
  journal.rows.get(seq)?.classList.add('is-selected');
  syncJournalUrl();
  const chain = e.chain ?? {};
  const prev = chainSeq(chain.prev), next = chainSeq(chain.next);
  const link = chain.linkOk === true ? 'OK' : chain.linkOk === false ? 'broken' : DASH;
  const close = h('button', { type: 'button', class: 'secondary small', 'data-testid': 'event-detail-close' }, 'Close');
  close.addEventListener('click', () => {
    panel.hidden = true;
    journal.rows.get(journal.selected)?.classList.remove('is-selected');
    journal.selected = null;
    syncJournalUrl();
  });
  const nav = (s, label, testid) => (s === null ? h('span', { class: 'muted', 'data-testid': testid }, label === 'prev' ? 'first event' : 'journal head')
    : h('a', { href: `/journal?seq=${s}`, 'data-seq-link': s, 'data-testid': testid }, label === 'prev' ? `← #${s}` : `#${s} →`));
  panel.replaceChildren(
    h('div', { class: 'detail-head' }, h('h2', null, `#${text(e.seq)} ${text(e.type)}`), close),
    detailList([
      ['Day', text(e.day)], ['Occurred', time(e.occurredAt)], ['Recorded', time(e.recordedAt)],
      ['Event id', h('code', null, text(e.eventId))], ['Version', text(e.version)],
      ['Hash', h('code', { 'data-testid': 'event-hash' }, text(e.hash))],
      ['Prev hash', h('code', { 'data-testid': 'event-prev-hash' }, text(e.prevHash))],
      ['Link to prev', h('span', { class: chain.linkOk === false ? 'bad' : chain.linkOk ? 'ok' : null, 'data-testid': 'event-link' }, link,
        chain.linkOk === false && chain.problem ? `: ${compact(chain.problem)}` : '')],
    ]),
    h('p', { class: 'chain-links' }, nav(prev, 'prev', 'event-prev'), nav(next, 'next', 'event-next')),
    h('pre', { 'data-testid': 'event-json' }, JSON.stringify(e.data ?? null, null, 2)),
  );
  panel.hidden = false;
  panel.scrollIntoView({ block: 'nearest' });
}
function detailList(pairs) {
  return h('dl', null, pairs.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}
function readJournalForm() {
  journal.filters = {
    day: byTestId('journal-day').value.trim(),
    type: byTestId('journal-type').value.trim(),
    symbol: byTestId('journal-symbol').value.trim().toUpperCase(),
  };
}
function wireJournal() {
  const params = new URLSearchParams(location.search);
  for (const k of ['day', 'type', 'symbol']) byTestId(`journal-${k}`).value = params.get(k) ?? '';
  readJournalForm();
  const start = Number(params.get('afterSeq') ?? 0);
  journal.afterSeq = Number.isInteger(start) && start > 0 ? start : 0;
  const seq = Number(params.get('seq'));
  const reload = (afterSeq) => loadJournal(afterSeq).then(() => showPageError(null), (e) => { if (e.status !== 401) showPageError(e.message); });
  byTestId('journal-filter').addEventListener('submit', (e) => { e.preventDefault(); readJournalForm(); void reload(0); });
  byTestId('journal-reset').addEventListener('click', () => {
    for (const k of ['day', 'type', 'symbol']) byTestId(`journal-${k}`).value = '';
    readJournalForm();
    void reload(0);
  });
  byTestId('journal-first').addEventListener('click', () => void reload(0));
  byTestId('journal-latest').addEventListener('click', () => void reload(Math.max(0, Math.max(journal.head, lastSeq) - EVENTS_LIMIT)));
  byTestId('journal-more').addEventListener('click', async () => {
    try { takePage(await getJson(journalQuery(journal.cursor))); } catch (e) { if (e.status !== 401) showPageError(e.message); }
  });
  const table = byTestId('journal-table');
  const open = (target) => {
    const tr = target.closest('tr[data-seq]');
    if (tr) void showEvent(Number(tr.dataset.seq));
  };
  table.addEventListener('click', (e) => open(e.target));
  table.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(e.target); } });
  byTestId('event-detail').addEventListener('click', (e) => {
    const a = e.target.closest('a[data-seq-link]');
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    void showEvent(Number(a.dataset.seqLink));
  });
  return Number.isInteger(seq) && seq > 0 ? seq : null;
}
let journalLoaded = false;
async function refreshJournal() {
  const state = loadState().catch(() => null);
  if (!journalLoaded) {
    await loadJournal(journal.afterSeq);
    journalLoaded = true;
  } else if (journal.complete) {
    // At the head: fetch what was journaled since, with the same filters (full rows, hashes included).
    takePage(await getJson(journalQuery(journal.cursor)), true);
  } else {
    journal.head = Math.max(journal.head, lastSeq);
    renderJournalMeta();
  }
  await state;
}
function journalFrame(f) {
  journal.head = Math.max(journal.head, f.seq);
  if (journal.complete && matchesFilters(f) && !journal.rows.has(f.seq)) upsertEvent(f, true);
}

// ───────────────────────────── pages ─────────────────────────────
const PAGES = {
  overview: { refresh: async () => renderOverview(await loadState()) },
  positions: { refresh: async () => renderPositions(await loadState()) },
  orders: {
    wire: wireOrders,
    refresh: async () => {
      const [, r] = await Promise.all([loadState().catch(() => null), getJson(`/api/orders${ordersDay ? `?day=${encodeURIComponent(ordersDay)}` : ''}`)]);
      renderOrders(r);
    },
  },
  risk: { refresh: async () => { const [, r] = await Promise.all([loadState().catch(() => null), getJson('/api/risk')]); renderRisk(r); } },
  alerts: { refresh: async () => { const [, r] = await Promise.all([loadState().catch(() => null), getJson('/api/alerts')]); renderAlerts(r); } },
  journal: { refresh: refreshJournal, onFrame: journalFrame },
};
const page = PAGES[PAGE] ?? { refresh: async () => { await loadState(); } };

async function start() {
  if (PAGE === 'login') { startLogin(); return; }
  wireControls();
  const detailSeq = PAGE === 'journal' ? wireJournal() : null;
  page.wire?.();
  try {
    await startSession();
  } catch (e) {
    if (e?.status !== 401) showPageError(`cannot start the session: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  await runRefresh();
  if (leaving) return;
  if (detailSeq !== null) void showEvent(detailSeq);
  connect();
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') scheduleRefresh(); });
}

void start();
