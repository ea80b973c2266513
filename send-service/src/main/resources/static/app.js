// mailtrail's reference timeline page: plain ES module, no build, no CDN.
import { eraseAction, showErase } from './erase.js';
import { funnel, legend, series, table } from './report.js';

const STATUSES = ['QUEUED', 'SCHEDULED', 'SENT', 'DELIVERY_DELAYED', 'DELIVERED', 'OPENED', 'CLICKED', 'REPLIED',
  'SUPPRESSED', 'FAILED', 'BOUNCED', 'COMPLAINED'];
const TOKEN_KEY = 'mailtrail.token';
// an all-tenant token's last tenant, for the next visit (a tenant id is no secret)
const TENANT_KEY = 'mailtrail.tenant';
const $ = (selector) => document.querySelector(selector);

let cursor = null;
let stream = null;

// ---- relative and exact times (the server computes the same words; the page keeps them ticking) ----
export function relative(at, now = Date.now()) {
  const diff = now - Date.parse(at);
  const s = Math.floor(Math.abs(diff) / 1000);
  if (s < 60) return 'just now';
  const units = [[3600, 60, 'm'], [86400, 3600, 'h'], [14 * 86400, 86400, 'd'], [60 * 86400, 7 * 86400, 'w'],
    [365 * 86400, 30 * 86400, 'mo'], [Infinity, 365 * 86400, 'y']];
  const [, size, unit] = units.find(([limit]) => s < limit);
  const amount = Math.floor(s / size) + unit;
  return diff < 0 ? `in ${amount}` : `${amount} ago`;
}

export function exact(at) {
  const d = new Date(at);
  const date = d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  return `${date}, ${d.toISOString().substring(11, 19)} UTC`;
}

// ---- the API, with the token the person gave us for this tab ----
function token() { return sessionStorage.getItem(TOKEN_KEY); }

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { ...(options.headers || {}), Authorization: `Bearer ${token()}` },
  });
  if (response.status === 401) {
    signOut();
    throw new Error('The token was not accepted.');
  }
  const body = response.headers.get('content-type')?.includes('json') ? await response.json() : null;
  if (!response.ok) {
    const fields = body?.errors?.map((e) => `${e.field} ${e.message}`).join('; ');
    throw new Error(fields || body?.detail || `HTTP ${response.status}`);
  }
  return body;
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  stream?.abort();
  $('#app').hidden = true;
  $('#sign-out').hidden = true;
  $('#live').hidden = true;
  $('#token-form').hidden = false;
}

function showError(error) {
  $('#error').textContent = error ? error.message : '';
  $('#error').hidden = !error;
}

// ---- rows ----
function badge(view) {
  const span = document.createElement('span');
  span.className = 'badge';
  span.dataset.label = view.badge.label;
  span.textContent = view.badge.label;
  if (view.badge.note) {
    const note = document.createElement('span');
    note.className = 'note';
    note.textContent = ` · ${view.badge.note}`;
    span.append(note);
  }
  // an email sent to each recipient apart: a bounced cc is a problem of the email, not its status
  if (view.badge.problems > 0) {
    const problems = document.createElement('span');
    problems.className = 'note problems';
    problems.textContent = ` · ${view.badge.problems} recipient${view.badge.problems === 1 ? '' : 's'} not reached`;
    span.append(problems);
  }
  return span;
}

function when(view) {
  if (!view.badge.at) return document.createTextNode('');
  const time = document.createElement('time');
  time.dateTime = view.badge.at;
  time.dataset.label = view.badge.label;
  time.title = exact(view.badge.at);
  tick(time);
  return time;
}

function tick(time) {
  const text = `${time.dataset.label} ${relative(time.dateTime)}`;
  time.textContent = text;
  // the tooltip is for pointers; screen readers get the exact time in the accessible name
  time.setAttribute('aria-label', `${text}, ${time.title}`);
}

function row(view) {
  const tr = document.createElement('tr');
  tr.dataset.activityId = view.activityId;
  tr.dataset.version = view.version;
  tr.tabIndex = 0;
  const cells = [view.recipient ?? '—', view.subject ?? '—', badge(view), when(view)];
  for (const content of cells) {
    const td = document.createElement('td');
    td.append(content);
    tr.append(td);
  }
  tr.addEventListener('click', () => openTimeline(view.activityId));
  tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') openTimeline(view.activityId); });
  return tr;
}

// ---- the list ----
function query() {
  const params = new URLSearchParams({ tenantId: $('#tenant').value.trim(), limit: '25' });
  document.querySelectorAll('#statuses input:checked').forEach((box) => params.append('status', box.value));
  if ($('#follow-up').checked) {
    params.set('noOpenFor', `P${Number($('#days').value) || 3}D`);
    // strict: only human-classified engagement takes an activity off the list
    if ($('#strict').checked) params.set('engagement', 'strict');
  }
  if (cursor) params.set('cursor', cursor);
  return params;
}

function filtered() {
  return $('#follow-up').checked || document.querySelector('#statuses input:checked') !== null;
}

async function load(reset) {
  if (reset) {
    cursor = null;
    $('#activities tbody').replaceChildren();
  }
  try {
    const page = await api(`/api/crm/activities?${query()}`);
    page.items.forEach((view) => $('#activities tbody').append(row(view)));
    cursor = page.nextCursor;
    $('#more').hidden = !cursor;
    $('#empty').hidden = $('#activities tbody').children.length > 0;
    showError(null);
  } catch (error) {
    showError(error);
  }
}

// ---- the tenant's suppression list ----
let suppressionCursor = null;

function suppressionRow(entry) {
  const tr = document.createElement('tr');
  const since = document.createElement('time');
  since.dateTime = entry.createdAt;
  since.textContent = exact(entry.createdAt);
  const cells = [entry.email, entry.reason.replace(/_/g, ' '), since, entry.activityId || '—'];
  tr.append(...cells.map((value) => {
    const td = document.createElement('td');
    td.append(value);
    return td;
  }));
  return tr;
}

async function loadSuppressions(reset) {
  if (reset) {
    suppressionCursor = null;
    $('#suppressions tbody').replaceChildren();
  }
  const params = new URLSearchParams({ tenantId: $('#tenant').value.trim(), limit: '25' });
  if (suppressionCursor) params.set('cursor', suppressionCursor);
  try {
    const page = await api(`/api/crm/suppressions?${params}`);
    page.items.forEach((entry) => $('#suppressions tbody').append(suppressionRow(entry)));
    suppressionCursor = page.nextCursor;
    $('#suppressions-more').hidden = !suppressionCursor;
    $('#suppressions-empty').hidden = $('#suppressions tbody').children.length > 0;
  } catch (error) {
    showError(error);
  }
}

// ---- live updates over server-sent events (fetch, because EventSource cannot send a bearer token) ----
async function listen(tenant) {
  stream?.abort();
  stream = new AbortController();
  const { signal } = stream;
  while (!signal.aborted) {
    try {
      const response = await fetch(`/api/crm/streams/activities?tenantId=${encodeURIComponent(tenant)}`, {
        headers: { Authorization: `Bearer ${token()}`, Accept: 'text/event-stream' }, signal,
      });
      if (!response.ok) throw new Error(`stream: HTTP ${response.status}`);
      $('#live').hidden = false;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (error) {
      if (signal.aborted) return;
    }
    $('#live').hidden = true;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function dispatch(message) {
  const lines = message.split('\n');
  const event = lines.find((l) => l.startsWith('event:'))?.slice(6).trim();
  const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5)).join('\n');
  if (event !== 'activity' || !data) return;
  const view = JSON.parse(data);
  const current = document.querySelector(`tr[data-activity-id="${CSS.escape(view.activityId)}"]`);
  if (current && Number(current.dataset.version) >= view.version) return;
  const next = row(view);
  next.classList.add('flash');
  if (current) current.replaceWith(next);
  else if (!filtered()) $('#activities tbody').prepend(next);
  $('#empty').hidden = $('#activities tbody').children.length > 0;
}

// ---- the timeline of one activity, in plain words ----
const WORDS = {
  queued: () => 'Queued for sending',
  scheduled: () => 'Scheduled',
  sent: () => 'Sent',
  delivered: () => 'Delivered to the mail server',
  delivery_delayed: () => 'Delivery delayed; the provider keeps trying',
  opened: (e) => (e.classification === 'machine'
    ? `Opened automatically (${e.reasons.join(', ') || 'machine'}), not by a person`
    : e.classification === 'human' ? 'Opened' : 'Opened (reported by the provider)'),
  clicked: (e) => (e.classification === 'machine'
    ? `Link followed automatically: ${e.link ?? ''}` : `Clicked ${e.link ?? 'a link'}`),
  bounced: (e, state) => (state.bounce?.hard
    ? `Bounced permanently: ${state.bounce.message ?? 'the address does not accept mail'}`
    : `Bounced temporarily: ${state.bounce?.message ?? 'the server refused it for now'}`),
  complained: () => 'Marked as spam by the recipient',
  failed: (e, state) => `Could not be sent: ${state.failureReason ?? 'the provider refused it'}`,
  suppressed: () => 'Not sent: the address is on the suppression list',
  unsubscribed: () => 'Unsubscribed with the email\'s one-click link',
};

// an email sent as one message per recipient: each recipient's own status, with why it was not reached
const STATUS_WORDS = {
  QUEUED: 'Queued', SCHEDULED: 'Scheduled', SENT: 'Sent', DELIVERY_DELAYED: 'Delayed', DELIVERED: 'Delivered',
  OPENED: 'Opened', CLICKED: 'Clicked', REPLIED: 'Replied', SUPPRESSED: 'Suppressed', FAILED: 'Failed', BOUNCED: 'Bounced',
  COMPLAINED: 'Complained',
};

function recipientRow(r) {
  const tr = document.createElement('tr');
  const why = r.bounce?.message ?? r.failureReason;
  const status = `${STATUS_WORDS[r.status] ?? r.status}${why ? ` — ${why}` : ''}`;
  for (const text of [r.email ?? `recipient ${r.index + 1}`, status, String(r.openCount), String(r.clickCount)]) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  return tr;
}

function showRecipients(state) {
  const recipients = state.recipients ?? [];
  $('#recipients tbody').replaceChildren(...recipients.map(recipientRow));
  $('#recipients').hidden = recipients.length === 0;
}

// a page of the timeline: the API allows up to 500; "Show more" follows nextCursor
const TIMELINE_PAGE = 100;
let timelineNext = null;

function entry(e, state) {
  const li = document.createElement('li');
  li.className = e.classification;
  const words = (WORDS[e.type] || (() => e.type))(e, state);
  li.append(`${words} — `);
  const time = document.createElement('time');
  time.dateTime = e.occurredAt;
  time.textContent = exact(e.occurredAt);
  li.append(time);
  return li;
}

// opens and clicks beyond the activity's payload cap: counted in its state, listed on no page
function unlistedWords(unlisted) {
  const parts = [];
  if (unlisted?.opens) parts.push(`${unlisted.opens.toLocaleString('en-GB')} more opens`);
  if (unlisted?.clicks) parts.push(`${unlisted.clicks.toLocaleString('en-GB')} more clicks`);
  return parts.length ? `… and ${parts.join(' and ')}, counted but not listed` : '';
}

async function timelinePage(activityId, state, cursor) {
  const params = new URLSearchParams({ tenantId: tenantOf(state), limit: String(TIMELINE_PAGE) });
  if (cursor) params.set('cursor', cursor);
  const page = await api(`/api/crm/activities/${encodeURIComponent(activityId)}/timeline?${params}`);
  $('#timeline ol').append(...page.events.map((e) => entry(e, state)));
  timelineNext = page.nextCursor ? () => timelinePage(activityId, state, page.nextCursor) : null;
  $('#timeline-more').hidden = !timelineNext;
  $('#unlisted').textContent = unlistedWords(page.unlisted);
  $('#unlisted').hidden = !$('#unlisted').textContent;
}

// an activity id is the CRM's and unique only within its tenant: every per-activity call names the tenant
function tenantOf(state) {
  return state?.tenantId || $('#tenant').value.trim();
}

async function openTimeline(activityId) {
  try {
    const tenant = new URLSearchParams({ tenantId: tenantOf(null) });
    const state = await api(`/api/crm/activities/${encodeURIComponent(activityId)}?${tenant}`);
    $('#timeline ol').replaceChildren();
    showRecipients(state);
    await timelinePage(activityId, state, null);
    $('#timeline-title').textContent = `Timeline — ${state.recipient ?? activityId}`;
    $('#timeline').hidden = false;
    $('#timeline').scrollIntoView({ block: 'nearest' });
  } catch (error) {
    showError(error);
  }
}

async function moreTimeline() {
  try {
    await timelineNext?.();
  } catch (error) {
    showError(error);
  }
}

// ---- local stack only: send a test email through the real send API ----
async function sendTestEmail(event) {
  event.preventDefault();
  const tracked = $('#track').checked;
  const activityId = `ui-${Date.now().toString(36)}`;
  try {
    await api('/api/crm/emails', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        activityId,
        tenantId: $('#tenant').value.trim(),
        from: 'mailtrail demo <demo@mailtrail.dev>',
        to: [$('#scenario').value],
        subject: 'A test email from the timeline page',
        html: '<p>Hello! Have a look at <a href="https://example.com/pricing">our pricing</a>.</p>',
        tracking: { opens: tracked, clicks: tracked },
      }),
    });
    $('#sent').textContent = `Sent ${activityId}`;
  } catch (error) {
    showError(error);
  }
}

async function start() {
  $('#token-form').hidden = true;
  $('#app').hidden = false;
  $('#sign-out').hidden = false;
  const config = await fetch('/ui/config').then((r) => r.json()).catch(() => ({}));
  $('#test-email').hidden = !config.devTools;
  // a tenant-bound token answers its tenant: nothing to type
  const caller = await api('/api/crm/caller').catch(() => ({}));
  $('#tenant').readOnly = Boolean(caller.tenantId);
  showErase(caller);
  if (caller.tenantId) {
    $('#tenant').value = caller.tenantId;
  } else if (!$('#tenant').value) {
    $('#tenant').value = localStorage.getItem(TENANT_KEY) || config.tenant || '';
  }
  if ($('#tenant').value) report();
}

// ---- the report: totals as a funnel and a table, the rates per day as a series ----
async function report() {
  const tenant = $('#tenant').value.trim();
  if (!tenant) return;
  const params = new URLSearchParams({ tenantId: tenant });
  if ($('#report-tag').value.trim()) params.set('tag', $('#report-tag').value.trim());
  if ($('#report-from').value) params.set('from', $('#report-from').value);
  if ($('#report-to').value) params.set('to', $('#report-to').value);
  try {
    const daily = await api(`/api/crm/reports/engagement?${params}&groupBy=day`);
    $('#funnel').replaceChildren(funnel(daily.totals));
    $('#series').replaceChildren(series(daily.groups), legend());
    $('#figures tbody').replaceWith(table(daily.totals));
    showError(null);
  } catch (error) {
    showError(error);
  }
}

function init() {
  $('#statuses').replaceChildren(...STATUSES.map((status) => {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = status;
    label.append(box, ` ${status.toLowerCase().replace('_', ' ')}`);
    return label;
  }));
  $('#token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('#token').value.trim());
    $('#token').value = '';
    start();
  });
  $('#filters').addEventListener('submit', (e) => {
    e.preventDefault();
    load(true);
    loadSuppressions(true);
    listen($('#tenant').value.trim());
    if (!$('#tenant').readOnly) localStorage.setItem(TENANT_KEY, $('#tenant').value.trim());
    report();
  });
  $('#report-filters').addEventListener('submit', (e) => { e.preventDefault(); report(); });
  $('#more').addEventListener('click', () => load(false));
  $('#suppressions-more').addEventListener('click', () => loadSuppressions(false));
  $('#timeline-more').addEventListener('click', moreTimeline);
  $('#close-timeline').addEventListener('click', () => { $('#timeline').hidden = true; });
  $('#sign-out').addEventListener('click', signOut);
  $('#test-email').addEventListener('submit', sendTestEmail);
  eraseAction({ api, tenant: () => $('#tenant').value.trim(), showError });
  setInterval(() => document.querySelectorAll('#activities time').forEach(tick), 30_000);
  if (token()) start(); else $('#token-form').hidden = false;
}

init();
