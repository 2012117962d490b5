// The cluster's queue, filtered by server, command, state and requester; stop one operation or a
// server's whole queue, each after a confirmation.
import { call, command, commandLine, get, TERMINAL } from '../api.js';
import { h, field, percent, replaceIfChanged, report, select, stateCell, table, when } from '../dom.js';
import { poll } from './live.js';

const STATES = ['', 'QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'STOPPED', 'REMOVED', 'INTERRUPTED'];

export function render(page, session) {
  const filters = h('form', { id: 'queue-filters', role: 'search', 'aria-label': 'Filter the queue',
    onsubmit: e => e.preventDefault() },
  select('filter-server', 'Server', [['', 'any']]),
  field('filter-command', 'Command', { type: 'text', placeholder: 'e.g. doSmartScan' }),
  select('filter-state', 'State', STATES.map(s => [s, s || 'any'])),
  field('filter-requester', 'Requester', { type: 'text' }),
  h('div', { class: 'field' }, h('label', { for: 'filter-finished' }, 'Finished too'),
    h('input', { id: 'filter-finished', type: 'checkbox' })));
  const status = h('p', { id: 'queue-status', class: 'notice', 'aria-live': 'polite', hidden: true });
  const body = h('div', { id: 'queue-live' });
  const stopServer = session.can('operator') ? h('form', { id: 'stop-server-form', 'aria-label': 'Stop a server\'s queue',
    onsubmit: e => {
      e.preventDefault();
      stopQueue(document.getElementById('stop-server').value);
    } },
  select('stop-server', 'Server whose queue to stop', [['', 'choose']]),
  h('button', { type: 'submit', class: 'danger' }, 'Stop this server\'s queue…')) : null;
  page.append(...[h('h1', {}, 'Queue'), filters, stopServer, status, body].filter(Boolean));

  let latest = { operations: [], unreachable: [] };

  function say(text) {
    status.hidden = false;
    status.textContent = text;
  }

  async function stopOne(op) {
    if (!window.confirm('Stop ' + op.command + ' ' + op.uuid + ' on ' + op.server + '?')) {
      return;
    }
    try {
      const after = await call('DELETE', '/api/v1/operations/' + encodeURIComponent(op.uuid)
        + '?server=' + encodeURIComponent(op.server));
      say('Operation ' + op.uuid + ' on ' + after.server + ' is now ' + after.state + '.');
      show();
    } catch (err) {
      report(err);
    }
  }

  async function stopQueue(server) {
    if (!server) {
      report({ code: 'BAD_VALUE', message: 'choose the server whose queue to stop' });
      return;
    }
    if (!window.confirm('Stop every operation of ' + server + ', running and queued?')) {
      return;
    }
    try {
      const res = await command(['doStopAllOperations'], server);
      say(commandLine(['doStopAllOperations'], server) + ': ' + (res.text || 'done'));
    } catch (err) {
      report(err);
    }
  }

  function matches(op) {
    const v = id => document.getElementById(id).value.trim().toLowerCase();
    return (!v('filter-server') || op.server.toLowerCase() === v('filter-server'))
      && (!v('filter-command') || op.command.toLowerCase().includes(v('filter-command')))
      && (!v('filter-state') || op.state.toLowerCase() === v('filter-state'))
      && (!v('filter-requester') || String(op.requester || '').toLowerCase().includes(v('filter-requester')));
  }

  function fillServers(servers) {
    for (const id of ['filter-server', 'stop-server']) {
      const sel = document.getElementById(id);
      if (!sel) {
        continue;
      }
      const have = new Set([...sel.options].map(o => o.value));
      for (const s of servers) {
        if (!have.has(s)) {
          sel.append(h('option', { value: s }, s));
        }
      }
    }
  }

  function show() {
    const ops = latest.operations.filter(matches);
    const view = { ops, unreachable: latest.unreachable, operator: session.can('operator') };
    replaceIfChanged(body, view, () => h('div', {},
      latest.unreachable.map(u => h('p', { class: 'error' }, h('span', { class: 'code' },
        u.error ? u.error.code : 'SERVER_UNAVAILABLE'), ' ' + (u.error ? u.error.message : 'did not answer')
        + ' (server ' + u.server + ')')),
      table('queue-table', ops.length + ' of ' + latest.operations.length + ' operation(s); live', [
        ['Operation', o => h('a', { href: '#/operation/' + o.uuid }, o.uuid)],
        ['Server', o => o.server],
        ['Command', o => o.command],
        ['State', o => stateCell(o.state)],
        ['Progress', o => percent(o.progress) >= 0 ? percent(o.progress) + '%' : (o.progress ? o.progress.phase : '')],
        ['Requester', o => o.requester || ''],
        ['Queued at', o => when(o.queuedAt)],
        ['', o => view.operator && !TERMINAL.has(o.state) ? h('button', { type: 'button', class: 'danger',
          'aria-label': 'Stop ' + o.command + ' ' + o.uuid, 'data-stop': o.uuid, onclick: () => stopOne(o) }, 'Stop…') : ''],
      ], ops, o => o.uuid)));
  }

  filters.addEventListener('input', show);

  return poll(async () => {
    const verbose = document.getElementById('filter-finished').checked;
    latest = await get('/api/v1/operations' + (verbose ? '?verbose=true' : ''));
    const servers = new Set(latest.operations.map(o => o.server));
    latest.unreachable.forEach(u => servers.add(u.server));
    try {
      (await get('/api/v1/servers')).forEach(s => servers.add(s.serverId));
    } finally {
      fillServers([...servers].sort());
    }
    show();
  });
}
