// A planned import's (or export's) status with its parts, live until every part has ended.
import { get } from '../api.js';
import { errorLine, field, h, percent, replaceIfChanged, stateCell, table, when } from '../dom.js';
import { poll } from './live.js';

export function render(page, session, args) {
  const plan = args[0];
  const form = h('form', { id: 'import-form', onsubmit: e => {
    e.preventDefault();
    location.hash = '#/imports/' + encodeURIComponent(document.getElementById('import-plan').value.trim());
  } }, field('import-plan', 'Plan id (mirror-…, composite-… or export-…)', { type: 'text', required: true,
    value: plan || '', size: 48 }), h('button', { type: 'submit', class: 'primary' }, 'Show'));
  const live = h('div', { id: 'import-live', 'aria-live': 'polite' });
  page.append(h('h1', {}, 'Imports'), form, live);
  if (!plan) {
    return () => {};
  }
  const route = plan.startsWith('export-') ? '/api/v1/exports/' : '/api/v1/imports/';
  let done = false;
  const stop = poll(async () => {
    if (done) {
      return;
    }
    let s;
    try {
      s = await get(route + encodeURIComponent(plan));
    } catch (err) {
      live.replaceChildren(errorLine(err));
      throw err;
    }
    done = s.exitCode >= 0;
    replaceIfChanged(live, s, () => h('div', {},
      h('dl', { class: 'facts' },
        h('dt', {}, 'Plan'), h('dd', {}, s.plan), h('dt', {}, 'Kind'), h('dd', {}, s.kind),
        h('dt', {}, 'State'), h('dd', { id: 'import-state' }, stateCell(s.state)),
        h('dt', {}, 'Parts'), h('dd', {}, String(s.parts)),
        h('dt', {}, 'Verdict'), h('dd', {}, s.stats && s.stats.verdict ? s.stats.verdict : '—')),
      (s.unreachable || []).map(u => h('p', { class: 'error' }, 'Not asked: ' + u + ' is unreachable')),
      table('import-parts', 'Parts', [
        ['Part', o => (o.params && o.params.plan_part) || ''],
        ['Operation', o => h('a', { href: '#/operation/' + o.uuid }, o.uuid)],
        ['Server', o => o.server], ['Source', o => (o.params && o.params.source_path) || ''],
        ['State', o => stateCell(o.state)],
        ['Progress', o => percent(o.progress) >= 0 ? percent(o.progress) + '%' : (o.progress ? o.progress.phase : '')],
        ['Ended', o => when(o.endedAt)],
      ], s.operations || [], o => o.uuid)));
  });
  return stop;
}
