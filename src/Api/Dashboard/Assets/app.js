// The operations dashboard: plain JavaScript, no framework, no network beyond this server.
// Each page renders its frame once and then refreshes its data every few seconds (polling), so filters and
// half-typed inputs survive a refresh.
'use strict';

const REFRESH_MS = 3000;
let me = null;
let timer = null;
let page = null;

const main = document.getElementById('main');

function esc(v) {
  return String(v ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
function when(v) {
  if (!v) return '<span class="muted">—</span>';
  const d = new Date(v);
  return `<span title="${esc(v)}">${esc(d.toISOString().replace('T', ' ').slice(0, 19))}</span> <span class="muted">${esc(ago(d))}</span>`;
}
function ago(d) {
  const s = Math.round((Date.now() - d.getTime()) / 1000);
  const a = Math.abs(s), f = s >= 0 ? x => `${x} ago` : x => `in ${x}`;
  if (a < 60) return f(`${a}s`);
  if (a < 3600) return f(`${Math.round(a / 60)}m`);
  if (a < 86400) return f(`${Math.round(a / 3600)}h`);
  return f(`${Math.round(a / 86400)}d`);
}
function badge(s) { return `<span class="badge ${esc(s)}">${esc(s)}</span>`; }
function bytes(n) {
  if (n == null) return '—';
  const u = ['B', 'KB', 'MB', 'GB', 'TB']; let i = 0; let x = n;
  while (x >= 1024 && i < u.length - 1) { x /= 1024; i++; }
  return `${x.toFixed(i ? 1 : 0)} ${u[i]}`;
}
function pct(x) { return `${(x * 100).toFixed(1)}%`; }
function rate(x) { return x == null ? '<span class="muted">—</span>' : `${x.toFixed(2)}/s`; }
function json(v) { return v == null ? '<span class="muted">none</span>' : `<pre>${esc(typeof v === 'string' ? v : JSON.stringify(v, null, 2))}</pre>`; }
function act(html) { return me && me.canAct ? html : ''; }

function toast(text, bad) {
  const t = document.getElementById('toast');
  t.textContent = text; t.className = 'show' + (bad ? ' bad' : '');
  clearTimeout(toast.t); toast.t = setTimeout(() => { t.className = ''; }, 3500);
}

async function api(path, options) {
  const res = await fetch('/dashboard/api' + path, Object.assign({ credentials: 'same-origin', headers: {} }, options || {}));
  if (res.status === 401) { location.href = '/dashboard/login'; throw new Error('not logged in'); }
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
  if (!res.ok) throw new Error((body && (body.title || body.detail)) || `HTTP ${res.status}`);
  return body;
}
async function post(path, body, done) {
  try {
    const r = await api(path, {
      method: 'POST',
      headers: { 'X-Dashboard': '1', 'Content-Type': 'application/json' },
      body: JSON.stringify(body || {}),
    });
    toast(done || 'Done');
    await refresh();
    return r;
  } catch (e) {
    toast(e.message, true);
    return null;
  }
}

// ---------- Overview ----------
const overview = {
  frame() {
    return `<h1>Overview</h1>
      <div class="cards" id="state-cards"></div>
      <div class="row">
        <div class="panel chart"><h2>Last hour <span class="legend"><i style="background:var(--ok)"></i>succeeded<i style="background:var(--bad)"></i>failed</span>
          <span class="muted" id="rate-hour"></span></h2><div id="chart-hour"></div></div>
        <div class="panel chart"><h2>Last 24 hours <span class="muted" id="rate-day"></span></h2><div id="chart-day"></div></div>
      </div>
      <h2>By job type</h2><div id="by-type"></div>`;
  },
  async load() {
    const o = await api('/overview');
    const states = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
    document.getElementById('state-cards').innerHTML = states.map(s =>
      `<a class="card ${s}" href="#/jobs?status=${s}" data-state="${s}"><div class="n">${o.byState[s] ?? 0}</div><div class="l">${s}</div></a>`).join('') +
      `<div class="card failed"><div class="n" id="failure-rate">${pct(o.last24Hours.failureRate)}</div><div class="l">failure rate 24 h</div></div>`;
    document.getElementById('rate-hour').textContent = `failure rate ${pct(o.lastHour.failureRate)}`;
    document.getElementById('rate-day').textContent = `failure rate ${pct(o.last24Hours.failureRate)}`;
    document.getElementById('chart-hour').innerHTML = chart(o.lastHour, 1);
    document.getElementById('chart-day').innerHTML = chart(o.last24Hours, 15);
    const types = Object.keys(o.byType);
    document.getElementById('by-type').innerHTML = types.length === 0 ? '<p class="muted">No jobs yet.</p>' :
      `<table><thead><tr><th>type</th>${states.map(s => `<th class="num">${s}</th>`).join('')}<th class="num">total</th></tr></thead><tbody>` +
      types.map(t => {
        const row = o.byType[t]; const total = Object.values(row).reduce((a, b) => a + b, 0);
        return `<tr><td><a href="#/jobs?type=${encodeURIComponent(t)}">${esc(t)}</a></td>` +
          states.map(s => `<td class="num">${row[s] ? `<a href="#/jobs?type=${encodeURIComponent(t)}&status=${s}">${row[s]}</a>` : '<span class="muted">0</span>'}</td>`).join('') +
          `<td class="num">${total}</td></tr>`;
      }).join('') + '</tbody></table>';
  },
};

// Stacked bars (succeeded below, failed above), `group` minutes per bar; drawn as inline SVG.
function chart(series, group) {
  const ok = [], bad = [];
  for (let i = 0; i < series.succeeded.length; i += group) {
    ok.push(series.succeeded.slice(i, i + group).reduce((a, b) => a + b, 0));
    bad.push(series.failed.slice(i, i + group).reduce((a, b) => a + b, 0));
  }
  const max = Math.max(1, ...ok.map((v, i) => v + bad[i]));
  const W = 600, H = 140, w = W / ok.length;
  let bars = '';
  ok.forEach((v, i) => {
    const hOk = v / max * (H - 10), hBad = bad[i] / max * (H - 10);
    const t = new Date(new Date(series.start).getTime() + i * group * 60000).toISOString().slice(11, 16);
    if (v) bars += `<rect x="${i * w + 0.5}" y="${H - hOk}" width="${Math.max(1, w - 1)}" height="${hOk}" fill="var(--ok)"><title>${t} succeeded ${v}</title></rect>`;
    if (bad[i]) bars += `<rect x="${i * w + 0.5}" y="${H - hOk - hBad}" width="${Math.max(1, w - 1)}" height="${hBad}" fill="var(--bad)"><title>${t} failed ${bad[i]}</title></rect>`;
  });
  const start = group === 1 ? new Date(series.start).toISOString().slice(11, 16) + ' UTC' : '24 h ago';
  return `<svg viewBox="0 0 ${W} ${H + 16}" preserveAspectRatio="none" role="img" aria-label="jobs finished per ${group === 1 ? 'minute' : group + ' minutes'}">
    <line x1="0" y1="${H}" x2="${W}" y2="${H}" stroke="#ccd"/>${bars}
    <text x="0" y="${H + 13}" font-size="10" fill="#889">${start}</text><text x="${W}" y="${H + 13}" font-size="10" fill="#889" text-anchor="end">now</text>
    <text x="2" y="10" font-size="10" fill="#889">${max}</text></svg>`;
}

// ---------- Jobs ----------
const jobs = {
  offset: 0,
  frame(params) {
    this.offset = 0;
    const status = params.get('status') || '', type = params.get('type') || '';
    return `<h1>Jobs</h1>
      <form class="filters" id="job-filters">
        <label>State <select name="status" id="f-status"><option value="">any</option>${['queued', 'running', 'succeeded', 'failed', 'cancelled']
          .map(s => `<option ${s === status ? 'selected' : ''}>${s}</option>`).join('')}</select></label>
        <label>Type <select name="type" id="f-type"><option value="">any</option>${type ? `<option selected>${esc(type)}</option>` : ''}</select></label>
        <label>Tenant <select name="tenant" id="f-tenant"><option value="">any</option></select></label>
        <label>Created from <input type="datetime-local" name="from" id="f-from"></label>
        <label>to <input type="datetime-local" name="to" id="f-to"></label>
        ${act('<button type="button" id="retry-failed" class="danger">Retry all failed</button>')}
      </form>
      <div id="job-table"></div>
      <div class="pager"><button id="prev">Newer</button><span id="range" class="muted"></span><button id="next">Older</button></div>`;
  },
  bind() {
    const form = document.getElementById('job-filters');
    form.addEventListener('change', () => { this.offset = 0; refresh(); });
    document.getElementById('prev').onclick = () => { this.offset = Math.max(0, this.offset - 50); refresh(); };
    document.getElementById('next').onclick = () => { this.offset += 50; refresh(); };
    const bulk = document.getElementById('retry-failed');
    if (bulk) bulk.onclick = () => {
      const type = document.getElementById('f-type').value;
      if (confirm(`Retry every failed ${type || ''} job whose failure a retry can change?`)) post('/jobs/retry-failed' + (type ? `?type=${encodeURIComponent(type)}` : ''), {}, 'Failed jobs queued again');
    };
    api('/jobs/facets').then(f => {
      fill('f-type', f.types); fill('f-tenant', f.tenants);
    });
  },
  async load() {
    const q = new URLSearchParams();
    const v = id => document.getElementById(id).value;
    if (v('f-status')) q.set('status', v('f-status'));
    if (v('f-type')) q.set('type', v('f-type'));
    if (v('f-tenant')) q.set('tenant', v('f-tenant'));
    if (v('f-from')) q.set('from', new Date(v('f-from')).toISOString());
    if (v('f-to')) q.set('to', new Date(v('f-to')).toISOString());
    q.set('limit', 50); q.set('offset', this.offset);
    const p = await api('/jobs?' + q);
    document.getElementById('job-table').innerHTML = p.items.length === 0 ? '<p class="muted">No jobs match.</p>' :
      `<table id="jobs"><thead><tr><th>created</th><th>type</th><th>document</th><th>tenant</th><th>state</th><th class="num">attempts</th><th>progress</th><th>reason</th></tr></thead><tbody>` +
      p.items.map(j => `<tr class="click" data-job="${j.id}" onclick="location.hash='#/jobs/${j.id}'">
        <td>${when(j.createdAt)}</td><td>${esc(j.type)}</td><td class="file">${esc(j.fileName)}</td><td>${esc(j.tenantId)}</td><td>${badge(j.status)}</td>
        <td class="num">${j.attempts}</td><td><span class="progress"><span style="width:${j.progress}%"></span></span> ${j.progress}%</td>
        <td>${j.errorCode ? `<span class="err"><code>${esc(j.errorCode)}</code> ${esc(j.errorMessage)}</span>` : ''}</td></tr>`).join('') +
      '</tbody></table>';
    document.getElementById('range').textContent = p.total === 0 ? '' : `${p.offset + 1}–${p.offset + p.items.length} of ${p.total}`;
    document.getElementById('prev').disabled = p.offset === 0;
    document.getElementById('next').disabled = p.offset + p.items.length >= p.total;
  },
};

function fill(id, values) {
  const sel = document.getElementById(id); const current = sel.value;
  sel.innerHTML = '<option value="">any</option>' + values.map(v => `<option ${v === current ? 'selected' : ''}>${esc(v)}</option>`).join('');
}

// ---------- Job ----------
const job = {
  id: null,
  frame(params, id) { this.id = id; return `<p><a href="#/jobs">← Jobs</a></p><div id="job-detail"></div>`; },
  async load() {
    const j = await api('/jobs/' + this.id);
    const final = ['succeeded', 'failed', 'cancelled'].includes(j.status);
    document.getElementById('job-detail').innerHTML = `
      <h1>${esc(j.type)} job ${badge(j.status)}</h1>
      ${j.errorCode ? `<p class="error" id="job-error"><code>${esc(j.errorCode)}</code> ${esc(j.errorMessage)}</p>` : ''}
      ${j.notRetryableBecause ? `<p class="muted" id="not-retryable">No retry: ${esc(j.notRetryableBecause)}</p>` : ''}
      <div class="actions">${act(
        (['failed', 'cancelled'].includes(j.status) && !j.notRetryableBecause ? '<button class="primary" id="retry">Retry</button>' : '') +
        (!final ? '<button id="cancel">Cancel</button>' : '') +
        (final ? '<button class="danger" id="delete">Delete</button>' : ''))}</div>
      <div class="row">
        <div class="panel"><h2>Job</h2><dl class="kv">
          <dt>id</dt><dd class="mono">${esc(j.id)}</dd><dt>tenant</dt><dd>${esc(j.tenantId)}</dd>
          <dt>state</dt><dd id="job-status">${badge(j.status)}${j.cancelRequested && !final ? ' <span class="muted">cancel requested</span>' : ''}</dd>
          <dt>progress</dt><dd><span class="progress"><span style="width:${j.progress}%"></span></span> ${j.progress}%</dd>
          <dt>attempts</dt><dd id="job-attempts">${j.attempts}</dd>
          <dt>document</dt><dd id="job-document">${j.fileName ? `${esc(j.fileName)} ` : ''}<span class="mono">${esc(j.documentId) || '—'}</span></dd>
          <dt>correlation</dt><dd class="mono">${esc(j.correlationId)}</dd>
          ${j.backupId ? `<dt>backup</dt><dd><a href="#/backups">${esc(j.backupId)}</a></dd>` : ''}
        </dl></div>
        <div class="panel"><h2>Timeline</h2><ol class="timeline">${j.timeline.map(e =>
          `<li class="${esc(e.event)}"><b>${esc(e.event)}</b> ${when(e.at)}<br><span class="muted">${esc(e.detail)}</span></li>`).join('')}</ol></div>
      </div>
      <div class="row"><div class="panel"><h2>Input</h2>${json(j.input)}</div><div class="panel"><h2>Result</h2>${json(j.result)}</div></div>`;
    const on = (id, f) => { const b = document.getElementById(id); if (b) b.onclick = f; };
    on('retry', () => post(`/jobs/${j.id}/retry`, {}, 'Job queued again'));
    on('cancel', () => post(`/jobs/${j.id}/cancel`, {}, 'Cancel requested'));
    on('delete', async () => { if (confirm('Delete this job?') && await post(`/jobs/${j.id}/delete`, {}, 'Job deleted')) location.hash = '#/jobs'; });
  },
};

// ---------- Queues ----------
const queues = {
  frame() { return `<h1>Queues <span class="muted" id="queue-source"></span></h1><div id="queue-table"></div>`; },
  async load() {
    const q = await api('/queues');
    document.getElementById('queue-source').textContent = `from ${q.source}`;
    document.getElementById('queue-table').innerHTML = `<table id="queues"><thead><tr><th>queue</th><th class="num">ready</th><th class="num">in progress</th>
      <th class="num">consumers</th><th class="num">in</th><th class="num">done</th><th>error queue</th><th class="num">errors</th><th></th></tr></thead><tbody>` +
      q.queues.map(x => `<tr data-queue="${esc(x.name)}"><td><code>${esc(x.name)}</code>${x.exists ? '' : ' <span class="muted">not declared yet</span>'}</td>
        <td class="num">${x.depth}</td><td class="num">${x.unacked}</td>
        <td class="num">${x.consumers === 0 ? '<span class="err">0</span>' : x.consumers}</td><td class="num">${rate(x.publishRate)}</td><td class="num">${rate(x.deliverRate)}</td>
        <td><code>${esc(x.error?.name)}</code></td><td class="num">${x.error?.depth ? `<span class="err">${x.error.depth}</span>` : 0}</td>
        <td>${q.canMoveErrors && x.error?.depth ? act(`<button data-move="${esc(x.name)}">Move back</button>`) : ''}</td></tr>`).join('') + '</tbody></table>' +
      (q.canMoveErrors ? '' : '<p class="muted">Single-process mode: figures come from the job table (queued and running jobs by type; in and done: jobs created and finished per second over the last minute); failed jobs are the error queue — retry them from Jobs.</p>');
    document.querySelectorAll('[data-move]').forEach(b => b.onclick = () => {
      const name = b.getAttribute('data-move');
      if (confirm(`Move the messages of ${name}_error back to ${name}?`)) post(`/queues/${encodeURIComponent(name)}/move-errors`, {}, 'Messages moved back');
    });
  },
};

// ---------- Workers ----------
const workers = {
  frame() { return `<h1>Workers</h1><div id="worker-table"></div><p class="muted">Every process beats every 5 s; one silent for 15 s is lost.</p>`; },
  async load() {
    const w = await api('/workers');
    document.getElementById('worker-table').innerHTML = w.length === 0 ? '<p class="muted">No process has reported yet.</p>' :
      `<table id="workers"><thead><tr><th>role</th><th>host</th><th class="num">pid</th><th>version</th><th>consumes</th><th class="num">in flight</th><th>started</th><th>last heartbeat</th><th>state</th></tr></thead><tbody>` +
      w.map(x => `<tr data-worker="${esc(x.id)}"><td><b>${esc(x.role)}</b></td><td>${esc(x.host)}</td><td class="num">${x.pid}</td><td>${esc(x.version)}</td>
        <td>${x.consumers.length ? x.consumers.map(c => `<code>${esc(c)}</code>`).join(' ') : '<span class="muted">none</span>'}</td>
        <td class="num">${x.inFlight}</td><td>${when(x.startedAt)}</td><td>${when(x.lastHeartbeat)}</td><td>${badge(x.state)}</td></tr>`).join('') + '</tbody></table>';
  },
};

// ---------- Backups ----------
const backups = {
  frame() {
    return `<h1>Backups</h1><div class="actions">${act('<button class="primary" id="start-backup">Start backup</button>')}</div><h2>Backups</h2><div id="backup-table"></div>`;
  },
  bind() {
    const b = document.getElementById('start-backup');
    if (b) b.onclick = () => post('/backups/start', {}, 'Backup queued');
  },
  async load() {
    const list = await api('/backups');
    const verify = me.features.verifyBackups;
    document.getElementById('backup-table').innerHTML = list.length === 0 ? '<p class="muted">No backups yet.</p>' :
      `<table id="backups"><thead><tr><th>started</th><th>status</th><th>provider</th><th class="num">size</th><th>sha-256</th><th>verification</th><th class="num">restore</th><th></th></tr></thead><tbody>` +
      list.map(x => `<tr data-backup="${x.id}"><td>${when(x.startedAt)}</td><td>${badge(x.status)}${x.errorMessage ? ` <span class="err">${esc(x.errorMessage)}</span>` : ''}</td>
        <td>${esc(x.provider)}</td><td class="num">${bytes(x.sizeBytes)}</td><td><code title="${esc(x.sha256)}">${esc((x.sha256 || '').slice(0, 16))}${x.sha256 ? '…' : ''}</code></td>
        <td>${x.verifyStatus ? badge(x.verifyStatus) + ' ' + when(x.verifiedAt) : '<span class="muted">not verified</span>'}</td>
        <td class="num">${x.restoreMs != null ? (x.restoreMs / 1000).toFixed(1) + ' s' : '—'}</td>
        <td>${verify && x.status === 'succeeded' ? act(`<button data-verify="${x.id}">Verify</button>`) : ''} <a href="#/jobs/${x.jobId}">job</a></td></tr>`).join('') + '</tbody></table>';
    document.querySelectorAll('[data-verify]').forEach(b => b.onclick = () => post(`/backups/${b.getAttribute('data-verify')}/verify`, {}, 'Verification queued'));
  },
};

// ---------- Router and live refresh ----------
const pages = { overview, jobs, job, queues, workers, backups, documents };

async function refresh() {
  const current = page;
  if (!current) return;
  try {
    await current.load();
    if (current !== page) return; // the operator moved on while this page was loading
    document.getElementById('live').className = 'live';
    document.getElementById('updated').textContent = 'updated ' + new Date().toISOString().slice(11, 19) + ' UTC';
  } catch (e) {
    if (current !== page) return;
    document.getElementById('live').className = 'live off';
    document.getElementById('updated').textContent = e.message;
  }
}

function route() {
  const [path, query] = (location.hash.slice(1) || '/overview').split('?');
  const parts = path.split('/').filter(Boolean);
  const params = new URLSearchParams(query || '');
  let name = parts[0] || 'overview', arg = null;
  if (name === 'jobs' && parts[1]) { name = 'job'; arg = parts[1]; }
  page = pages[name] || overview;
  document.querySelectorAll('#nav a').forEach(a => a.classList.toggle('active', a.dataset.page === (name === 'job' ? 'jobs' : name)));
  main.innerHTML = page.frame(params, arg);
  main.dataset.page = name;
  if (page.bind) page.bind();
  refresh();
}

async function start() {
  me = await api('/me');
  document.getElementById('who').innerHTML = `${esc(me.name)} <span class="role" id="role">${esc(me.role)}</span>`;
  window.addEventListener('hashchange', route);
  route();
  timer = setInterval(() => { if (!document.hidden) refresh(); }, REFRESH_MS);
}

start();
