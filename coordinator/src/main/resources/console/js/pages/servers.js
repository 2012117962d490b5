// Every server: up or unreachable (since when), its store, accounts, queue, running operation, and
// what its worker last reported: backup path size, last SmartScan and its result, scanner lag.
import { get } from '../api.js';
import { h, replaceIfChanged, stateCell, table, when, percent } from '../dom.js';
import { poll } from './live.js';

/** Bytes as an exact count, grouped in thousands: what the API says, readable. */
export function bytes(n) {
  return n === null || n === undefined ? 'not surveyed yet' : Number(n).toLocaleString('en-US') + ' bytes';
}

/** The real-time scanner's lag as the worker last read it. */
export function lag(health) {
  if (!health || health.scannerLagEntries === null || health.scannerLagEntries === undefined) {
    return 'not read yet';
  }
  const behind = health.scannerLagEntries + ' entries, ' + Math.round(health.scannerLagSeconds) + ' s behind';
  return health.scannerRunning ? behind : 'stopped; ' + behind;
}

export function render(page) {
  const body = h('div', { id: 'servers-live' });
  page.append(h('h1', {}, 'Servers'), body);
  return poll(async () => {
    const [servers, ops] = await Promise.all([get('/api/v1/servers'), get('/api/v1/operations?verbose=true')]);
    const unreachable = {};
    for (const u of ops.unreachable) {
      unreachable[u.server] = u.error ? u.error.message : 'did not answer';
    }
    const rows = servers.map(s => {
      const mine = ops.operations.filter(o => o.server === s.serverId);
      const running = mine.find(o => o.state === 'RUNNING');
      const health = s.health || null;
      return {
        id: s.serverId, up: s.reachable === true && !unreachable[s.serverId], why: unreachable[s.serverId] || null,
        since: s.unreachableSince || null,
        store: s.storeKind, accounts: s.accounts, path: s.backupPath, started: s.startedAt,
        queued: mine.filter(o => o.state === 'QUEUED').length,
        running: running ? { uuid: running.uuid, command: running.command, pct: percent(running.progress) } : null,
        size: health ? health.backupPathBytes : null,
        scan: health && health.lastSmartScan ? health.lastSmartScan : null,
        lag: lag(health),
        reported: health ? health.at : null,
      };
    });
    replaceIfChanged(body, rows, () => table('servers-table', rows.length + ' server(s); live, read every 2 s', [
      ['Server', r => r.id],
      ['State', r => r.up ? h('span', { class: 'up' }, 'up')
        : h('span', { class: 'down', title: r.why || '' },
          'unreachable' + (r.since ? ' since ' + when(r.since) : '') + (r.why ? ': ' + r.why : '')), 'state'],
      ['Store', r => r.store],
      ['Accounts', r => r.accounts, 'num'],
      ['Queued', r => r.queued, 'num'],
      ['Running', r => r.running ? h('a', { href: '#/operation/' + r.running.uuid },
        r.running.command + (r.running.pct >= 0 ? ' ' + r.running.pct + '%' : '')) : '—'],
      ['Backup path', r => r.path],
      ['Backup size', r => bytes(r.size), 'num size'],
      ['Up since', r => when(r.started)],
      ['Last SmartScan', r => r.scan ? h('span', {}, h('a', { href: '#/operation/' + r.scan.uuid }, when(r.scan.endedAt)),
        ' ', stateCell(r.scan.state)) : 'none', 'scan'],
      ['Scanner lag', r => r.lag, 'lag'],
      ['Reported', r => when(r.reported), 'reported'],
    ], rows, r => r.id));
  });
}
