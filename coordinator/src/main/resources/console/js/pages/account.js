// An account found by name or alias anywhere in the cluster (its server is shown, never asked
// for); its backup browsed by folder, sender, subject, dates and deleted state; an item restored,
// a window undeleted, or the account restored on a new account, each with its command line.
import { command, commandLine, get } from '../api.js';
import { errorLine, field, h, select, table, when } from '../dom.js';
import { run } from './actions.js';

/** datetime-local (yyyy-MM-ddTHH:mm) to the catalogue's dd/MM/yyyy HH:mm:ss, or the word given. */
function catalogueDate(value, word) {
  if (!value) {
    return word;
  }
  const m = value.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/);
  return m ? m[3] + '/' + m[2] + '/' + m[1] + ' ' + m[4] + ':' + m[5] + ':' + (m[6] || '00') : value;
}

export function render(page, session, args) {
  const found = h('div', { id: 'account-found', 'aria-live': 'polite' });
  const findForm = h('form', { id: 'account-form', role: 'search', 'aria-label': 'Find an account',
    onsubmit: e => {
      e.preventDefault();
      const name = document.getElementById('account-name').value.trim();
      if (name) {
        location.hash = '#/account/' + encodeURIComponent(name);
      }
    } }, field('account-name', 'Account name or alias', { type: 'text', required: true, value: args[0] || '',
    autocomplete: 'off', spellcheck: 'false' }), h('button', { type: 'submit', class: 'primary' }, 'Find'));
  page.append(h('h1', {}, 'Account'), findForm, found);
  const stops = [];
  const stopAll = () => stops.splice(0).forEach(s => s());
  if (args[0]) {
    get('/api/v1/accounts/' + encodeURIComponent(args[0])).then(loc => show(loc), err => found.replaceChildren(errorLine(err)));
  }
  return stopAll;

  function show(loc) {
    found.replaceChildren(h('dl', { class: 'facts', id: 'account-location' },
      h('dt', {}, 'Account'), h('dd', { id: 'account-found-name' }, loc.name),
      h('dt', {}, 'Id'), h('dd', {}, loc.accountId),
      h('dt', {}, 'Server'), h('dd', { id: 'account-server' }, loc.server)));
    if (!session.can('helpdesk')) {
      found.append(h('p', { class: 'muted' }, 'Browsing and restoring need the role helpdesk; your token is '
        + session.role + '.'));
      return;
    }
    const account = loc.name;
    const results = h('div', { id: 'item-results' });
    const action = h('div', { id: 'account-action' });
    const searchForm = h('form', { id: 'item-search-form', role: 'search', 'aria-label': 'Search the backup',
      onsubmit: e => {
        e.preventDefault();
        search();
      } },
    select('search-folder', 'Folder', [['', 'any']]),
    field('search-from', 'Sender', { type: 'text' }),
    field('search-subject', 'Subject', { type: 'text' }),
    field('search-start', 'From date', { type: 'datetime-local' }),
    field('search-end', 'To date', { type: 'datetime-local' }),
    select('search-deleted', 'Deleted', [['any', 'any'], ['true', 'deleted'], ['false', 'not deleted']]),
    h('button', { type: 'submit', class: 'primary' }, 'Search the backup'));
    found.append(h('h2', {}, 'Backup of ' + account), searchForm, results, action, restoreForms(account, action));
    search(true);

    async function search(first) {
      const v = id => document.getElementById(id).value.trim();
      const cmd = ['doItemSearch', account];
      for (const [name, id] of [['folder', 'search-folder'], ['from', 'search-from'], ['subject', 'search-subject']]) {
        if (v(id)) {
          cmd.push(name, v(id));
        }
      }
      if (v('search-start')) {
        cmd.push('start_date', catalogueDate(v('search-start'), 'first'));
      }
      if (v('search-end')) {
        cmd.push('end_date', catalogueDate(v('search-end'), 'last'));
      }
      if (v('search-deleted') !== 'any') {
        cmd.push('deleted', v('search-deleted'));
      }
      try {
        const res = await command(cmd, null);
        const items = res.reply.result.items || [];
        if (first) {
          const folders = [...new Set(items.map(i => i.folder))].sort();
          document.getElementById('search-folder').append(...folders.map(f => h('option', { value: f }, f)));
        }
        results.replaceChildren(h('pre', { class: 'cli' }, commandLine(cmd, null)),
          table('items-table', items.length + ' item(s) in the backup', [
            ['Id', i => i.id, 'num'], ['Folder', i => i.folder], ['Subject', i => i.subject || ''],
            ['From', i => i.from || ''], ['Since', i => when(i.since)],
            ['Deleted', i => i.deleted ? 'yes' : 'no'],
            ['', i => h('button', { type: 'button', 'data-restore': i.id,
              'aria-label': 'Restore item ' + i.id + (i.subject ? ' ' + i.subject : ''),
              onclick: () => stops.push(run(action, ['doItemRestore', account, String(i.id)], null)) }, 'Restore')],
          ], items, i => String(i.id)));
      } catch (err) {
        results.replaceChildren(errorLine(err));
      }
    }
  }

  function restoreForms(account, action) {
    const undelete = h('form', { id: 'undelete-form', 'aria-label': 'Undelete a window', onsubmit: e => {
      e.preventDefault();
      stops.push(run(action, ['doUndelete', account,
        catalogueDate(document.getElementById('undelete-start').value, 'first'),
        catalogueDate(document.getElementById('undelete-end').value, 'last')], null));
    } }, field('undelete-start', 'Deleted from (empty: first)', { type: 'datetime-local' }),
    field('undelete-end', 'Deleted until (empty: last)', { type: 'datetime-local' }),
    h('button', { type: 'submit' }, 'Undelete this window'));
    const onNew = h('form', { id: 'new-account-form', 'aria-label': 'Restore on a new account', onsubmit: e => {
      e.preventDefault();
      stops.push(run(action, ['doRestoreOnNewAccount', account,
        document.getElementById('new-account').value.trim(),
        catalogueDate(document.getElementById('new-account-date').value, 'last')], null));
    } }, field('new-account', 'New account', { type: 'text', required: true }),
    field('new-account-date', 'As it was at (empty: last)', { type: 'datetime-local' }),
    h('button', { type: 'submit' }, 'Restore on the new account'));
    return h('div', {}, h('h2', {}, 'Undelete'), undelete, h('h2', {}, 'Restore on a new account'), onNew);
  }
}

