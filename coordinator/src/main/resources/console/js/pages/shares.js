// The cluster's shares: doCheckShares all_servers as a table (cause, owner, grantee, servers,
// proposed fix), then doFixShares all, followed to its end and checked again.
import { command, commandLine } from '../api.js';
import { errorLine, h, lacksRole, table } from '../dom.js';
import { run } from './actions.js';

const CHECK = ['doCheckShares'];
const FIX = ['doFixShares', 'all'];

export function render(page, session) {
  if (lacksRole(page, session, 'operator', 'Shares', 'Checking and fixing shares')) {
    return () => {};
  }
  const report = h('div', { id: 'shares-report', 'aria-live': 'polite' });
  const fixPanel = h('div', { id: 'shares-fix' });
  const checkButton = h('button', { type: 'button', id: 'check-shares', class: 'primary', onclick: () => check() },
    'Check all servers');
  const fixButton = h('button', { type: 'button', id: 'fix-shares', class: 'danger', disabled: true,
    onclick: () => fix() }, 'Fix all…');
  page.append(h('h1', {}, 'Shares'), h('p', { class: 'muted' }, 'Check and fix every grant and mountpoint of the'
    + ' cluster, e.g. after an import.'), h('div', { class: 'buttons' }, checkButton, ' ', fixButton), report,
  fixPanel);
  let stop = () => {};

  async function check() {
    checkButton.disabled = true;
    report.replaceChildren(h('pre', { class: 'cli' }, commandLine(CHECK, 'all_servers')), h('p', {}, 'Checking…'));
    try {
      const res = await command(CHECK, 'all_servers');
      const r = res.reply.result;
      const s = r.summary || {};
      report.replaceChildren(h('pre', { class: 'cli' }, commandLine(CHECK, 'all_servers')),
        h('p', { id: 'shares-summary' }, s.grants + ' grant(s), ' + s.mountpoints + ' mountpoint(s): ' + s.broken
          + ' broken, ' + s.fixable + ' fixable.' + (r.maps && r.maps.length ? ' Import maps: ' + r.maps.join(', ')
          : '')),
        table('shares-table', 'Broken shares', [
          ['Kind', p => p.kind], ['Cause', p => p.detail || p.cause],
          ['Owner', p => side(p.owner)], ['Grantee', p => side(p.grantee)],
          ['Server', p => p.server], ['Folder', p => p.folderPath],
          ['Proposed fix', p => p.fixText || '—'], ['Fixable', p => p.fixable ? 'yes' : 'no'],
        ], r.problems || []));
      fixButton.disabled = !(s.fixable > 0);
    } catch (err) {
      report.replaceChildren(errorLine(err));
    } finally {
      checkButton.disabled = false;
    }
  }

  function fix() {
    if (!window.confirm('Fix every fixable share of the cluster (doFixShares all)?')) {
      return;
    }
    fixButton.disabled = true;
    stop();
    stop = run(fixPanel, FIX, 'all_servers', op => {
      if (op) {
        check();
      }
    });
  }

  return () => stop();
}

function side(s) {
  if (!s) {
    return '—';
  }
  return (s.name || s.id || '?') + (s.server ? ' on ' + s.server : '');
}
