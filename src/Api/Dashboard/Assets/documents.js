// The Documents page: every tenant's documents, newest first; the cursor pages back through older ones.
// Loaded before app.js, whose helpers (api, esc, when, badge, bytes) it uses when it runs.
const documents = {
  cursors: [],
  frame(params) {
    this.cursors = [];
    return `<h1>Documents</h1>
      <form class="filters" id="document-filters">
        <label>Tenant <input name="tenant" id="d-tenant" size="12"></label>
        <label>State <select name="status" id="d-status"><option value="">any</option>${['uploaded', 'parsed', 'indexed', 'failed']
          .map(s => `<option ${s === params.get('status') ? 'selected' : ''}>${s}</option>`).join('')}</select></label>
        <label>Name contains <input name="name" id="d-name" size="20"></label>
      </form>
      <div id="document-table"></div>
      <div class="pager"><button id="d-newer">Newer</button><button id="d-older">Older</button></div>`;
  },
  bind() {
    document.getElementById('document-filters').addEventListener('change', () => { this.cursors = []; refresh(); });
    document.getElementById('d-older').onclick = () => { if (this.next) { this.cursors.push(this.next); refresh(); } };
    document.getElementById('d-newer').onclick = () => { this.cursors.pop(); refresh(); };
  },
  async load() {
    const q = new URLSearchParams();
    const v = id => document.getElementById(id).value;
    if (v('d-tenant')) q.set('tenant', v('d-tenant'));
    if (v('d-status')) q.set('status', v('d-status'));
    if (v('d-name')) q.set('name', v('d-name'));
    if (this.cursors.length) q.set('cursor', this.cursors[this.cursors.length - 1]);
    const p = await api('/documents?' + q);
    this.next = p.nextCursor;
    document.getElementById('document-table').innerHTML = p.items.length === 0 ? '<p class="muted">No documents match.</p>' :
      `<table id="documents"><thead><tr><th>uploaded</th><th>tenant</th><th>file</th><th>state</th><th class="num">size</th><th class="num">pages</th><th class="num">chunks</th><th>id</th></tr></thead><tbody>` +
      p.items.map(d => `<tr data-document="${esc(d.id)}"><td>${when(d.createdAt)}</td><td>${esc(d.tenantId)}</td><td>${esc(d.fileName)}</td>
        <td>${badge(d.status)}</td><td class="num">${bytes(d.sizeBytes)}</td><td class="num">${d.pageCount}</td><td class="num">${d.chunkCount}</td>
        <td class="mono">${esc(d.id)}</td></tr>`).join('') + '</tbody></table>';
    document.getElementById('d-newer').disabled = this.cursors.length === 0;
    document.getElementById('d-older').disabled = !p.nextCursor;
  },
};
