// Every server: up or unreachable, its store, accounts, queue, running operation and last SmartScan.
import { get } from '../api.js';
import { h, replaceIfChanged, stateCell, table, when, percent } from '../dom.js';
import { poll } from './live.js';

function lastSmartScans(operations) {
  const last = {};
  for (const op of operations) {
    if (op.command === 'doSmartScan' && op.endedAt && (!last[op.server] || op.endedAt > last[op.server].endedAt)) {
      last[op.server] = op;
    }
  }
  return last;
}

export function render(page) {
  const body = h('div', { id: 'servers-live' });
  page.append(h('h1', {}, 'Servers'), body);
  return poll(async () => {
    const [servers, ops] = await Promise.all([get('/api/v1/servers'), get('/api/v1/operations?verbose=true')]);
    const scans = lastSmartScans(ops.operations);
    const unreachable = {};
    for (const u of ops.unreachable) {
      unreachable[u.server] = u.error ? u.error.message : 'did not answer';
    }
    const rows = servers.map(s => {
      const mine = ops.operations.filter(o => o.server === s.serverId);
      const running = mine.find(o => o.state === 'RUNNING');
      const scan = scans[s.serverId];
      return {
        id: s.serverId, up: s.reachable === true && !unreachable[s.serverId], why: unreachable[s.serverId] || null,
        store: s.storeKind, accounts: s.accounts, path: s.backupPath, started: s.startedAt,
        queued: mine.filter(o => o.state === 'QUEUED').length,
        running: running ? { uuid: running.uuid, command: running.command, pct: percent(running.progress) } : null,
        scan: scan ? { uuid: scan.uuid, at: scan.endedAt, state: scan.state } : null,
      };
    });
    replaceIfChanged(body, rows, () => table('servers-table', rows.length + ' server(s); live, read every 2 s', [
      ['Server', r => r.id],
      ['State', r => r.up ? h('span', { class: 'up' }, 'up')
        : h('span', { class: 'down', title: r.why || '' }, 'unreachable' + (r.why ? ': ' + r.why : ''))],
      ['Store', r => r.store],
      ['Accounts', r => r.accounts, 'num'],
      ['Queued', r => r.queued, 'num'],
      ['Running', r => r.running ? h('a', { href: '#/operation/' + r.running.uuid },
        r.running.command + (r.running.pct >= 0 ? ' ' + r.running.pct + '%' : '')) : '—'],
      ['Backup path', r => r.path],
      ['Up since', r => when(r.started)],
      ['Last SmartScan', r => r.scan ? h('span', {}, when(r.scan.at) + ' ', stateCell(r.scan.state)) : 'none kept'],
    ], rows, r => r.id));
  });
}
