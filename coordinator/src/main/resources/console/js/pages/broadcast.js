// SmartScan, purge or coherency check sent to all_servers, with each server's answer and its
// operation followed live to its end.
import { command, commandLine, follow, TERMINAL } from '../api.js';
import { errorLine, field, h, lacksRole, percent, select, stateCell } from '../dom.js';

const COMMANDS = [['doSmartScan', 'SmartScan'], ['doPurge', 'Purge'], ['doCoherencyCheck', 'Coherency check']];

export function render(page, session) {
  if (lacksRole(page, session, 'operator', 'Broadcast', 'Broadcast commands')) {
    return () => {};
  }
  const out = h('div', { id: 'broadcast-results', 'aria-live': 'polite' });
  const form = h('form', { id: 'broadcast-form', onsubmit: e => {
    e.preventDefault();
    send();
  } }, select('broadcast-command', 'Command', COMMANDS),
  h('div', { class: 'field' }, h('label', { for: 'broadcast-deep' }, 'Deep (SmartScan only: read everything again)'),
    h('input', { id: 'broadcast-deep', type: 'checkbox' })),
  field('broadcast-path', 'Backup path (coherency check only)', { type: 'text' }),
  h('button', { type: 'submit', class: 'primary', id: 'broadcast-send' }, 'Send to all servers'));
  page.append(h('h1', {}, 'Broadcast'), form, out);
  const stops = [];

  function args() {
    const cmd = document.getElementById('broadcast-command').value;
    const path = document.getElementById('broadcast-path').value.trim();
    if (cmd === 'doCoherencyCheck') {
      return [cmd, path];
    }
    return cmd === 'doSmartScan' && document.getElementById('broadcast-deep').checked ? [cmd, 'deep', 'true'] : [cmd];
  }

  async function send() {
    stops.splice(0).forEach(s => s());
    const a = args();
    out.replaceChildren(h('pre', { class: 'cli' }, commandLine(a, 'all_servers')), h('p', {}, 'Sending…'));
    let res;
    try {
      res = await command(a, 'all_servers');
    } catch (err) {
      out.replaceChildren(h('pre', { class: 'cli' }, commandLine(a, 'all_servers')), errorLine(err));
      return;
    }
    const results = (res.broadcast && res.broadcast.results) || [];
    const summary = h('p', { id: 'broadcast-summary' });
    const body = h('tbody', {});
    out.replaceChildren(h('pre', { class: 'cli' }, commandLine(a, 'all_servers')), summary,
      h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Per server, live' },
        h('table', { id: 'broadcast-table' },
        h('caption', {}, 'Per server, live'),
        h('thead', {}, h('tr', {}, ['Server', 'Operation', 'State', 'Phase', 'Progress', 'Result']
          .map(c => h('th', { scope: 'col' }, c)))), body)));
    const ended = new Set();
    const tally = () => {
      summary.textContent = ended.size + ' of ' + results.length + ' server(s) finished'
        + (ended.size === results.length ? '.' : '; following…');
    };
    for (const r of results) {
      const row = h('tr', { 'data-key': r.server });
      body.append(row);
      if (r.error) {
        ended.add(r.server);
        row.append(h('td', {}, r.server), h('td', {}, '—'),
          h('td', { class: 'state' }, h('span', { class: 'down' }, 'refused')), h('td', {}),
          h('td', {}), h('td', {}, errorLine(r.error)));
        continue;
      }
      const op = r.reply.operation;
      const draw = o => {
        const pct = percent(o.progress);
        row.replaceChildren(h('td', {}, r.server), h('td', {}, h('a', { href: '#/operation/' + o.uuid }, o.uuid)),
          h('td', { class: 'state' }, stateCell(o.state)), h('td', {}, o.progress ? o.progress.phase : ''),
          h('td', {}, pct >= 0 ? pct + '%' : ''),
          h('td', {}, o.error ? errorLine(o.error) : (o.stats && o.stats.verdict) || ''));
        if (TERMINAL.has(o.state)) {
          ended.add(r.server);
        }
        tally();
      };
      if (!op) {
        ended.add(r.server);
        row.append(h('td', {}, r.server), h('td', {}, (r.reply.text || '').trim()));
        continue;
      }
      draw(op);
      stops.push(follow(op.uuid, draw, err => {
        ended.add(r.server);
        row.append(h('td', {}, errorLine(err)));
        tally();
      }));
    }
    tally();
  }

  return () => stops.splice(0).forEach(s => s());
}
