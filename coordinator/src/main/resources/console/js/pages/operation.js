// One operation, live: phase, items, percent, ETA, the stats block, verdict, notifications and
// their delivery, its parameters, and the server that runs it (and the one it was proxied from).
import { follow, TERMINAL } from '../api.js';
import { field, h, percent, report, stateCell, table, when } from '../dom.js';

function eta(seconds) {
  if (seconds === undefined || seconds < 0) {
    return 'unknown';
  }
  const m = Math.floor(seconds / 60);
  return m > 0 ? m + ' min ' + (seconds % 60) + ' s' : seconds + ' s';
}

/** The facts of an operation as a definition list; shared by the pages that follow operations. */
export function facts(op) {
  const p = op.progress || {};
  const pct = percent(p);
  const rows = [
    ['State', stateCell(op.state), 'op-state'],
    ['Command', op.command, 'op-command'],
    ['Server', op.server + (op.via ? ' (proxied from ' + op.via + ')' : ''), 'op-server'],
    ['Requester', op.requester || '—', 'op-requester'],
    ['Phase', p.phase || '—', 'op-phase'],
    ['Done', (p.done || 0) + (p.total >= 0 ? ' of ' + p.total : '') + ' ' + (p.unit || 'items'), 'op-done'],
    ['Percent', pct >= 0 ? h('span', {}, h('progress', { max: 100, value: pct, 'aria-label': 'Percent done' }),
      ' ' + pct + '%') : 'unknown', 'op-percent'],
    ['ETA', TERMINAL.has(op.state) ? '—' : eta(p.etaSeconds), 'op-eta'],
    ['Queued', when(op.queuedAt)], ['Started', when(op.startedAt)], ['Ended', when(op.endedAt), 'op-ended'],
    ['Verdict', op.stats && op.stats.verdict ? op.stats.verdict : '—', 'op-verdict'],
  ];
  if (op.error) {
    rows.push(['Error', op.error.code + ': ' + op.error.message + (op.error.server ? ' (server ' + op.error.server + ')'
      : ''), 'op-error']);
  }
  return h('dl', { class: 'facts' }, rows.map(r => [h('dt', {}, r[0]), h('dd', { id: r[2] || null }, r[1])]));
}

function details(op) {
  const counters = Object.entries((op.stats && op.stats.counters) || {});
  const params = Object.entries(op.params || {});
  const unrestored = (op.stats && op.stats.unrestored) || [];
  return [
    h('h2', {}, 'Stats'),
    counters.length ? table('op-stats', 'Counters', [['Counter', c => c[0]], ['Value', c => c[1], 'num']], counters,
      c => c[0]) : h('p', { class: 'muted' }, 'No counters yet.'),
    unrestored.length ? table('op-unrestored', 'Items not restored', [['Item', u => JSON.stringify(u)]], unrestored)
      : null,
    h('h2', {}, 'Parameters'),
    params.length ? table('op-params', 'As given', [['Name', p => p[0]], ['Value', p => p[1]]], params, p => p[0])
      : h('p', { class: 'muted' }, 'None.'),
    h('h2', {}, 'Notifications'),
    op.notifications && op.notifications.length
      ? table('op-notifications', 'Addressed by this operation', [['To', n => (n.to || []).join(', ')],
        ['Subject', n => n.subject], ['At', n => when(n.at)], ['Delivery', n => n.delivery || '—']], op.notifications)
      : h('p', { class: 'muted' }, 'None.'),
  ];
}

export function render(page, session, args) {
  const uuid = args[0];
  const form = h('form', { id: 'operation-form', onsubmit: e => {
    e.preventDefault();
    location.hash = '#/operation/' + encodeURIComponent(document.getElementById('operation-uuid').value.trim());
  } }, field('operation-uuid', 'Operation id', { type: 'text', value: uuid || '', required: true, size: 38 }),
  h('button', { type: 'submit' }, 'Show'));
  const live = h('div', { id: 'operation-live', 'aria-live': 'polite' });
  page.append(h('h1', {}, 'Operation'), form, live);
  if (!uuid) {
    return () => {};
  }
  const show = op => live.replaceChildren(facts(op), ...details(op).filter(Boolean));
  return follow(uuid, show, report);
}
