// Small helpers to build the pages' DOM without any markup strings (no injection from data).

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) {
      continue;
    }
    if (k.startsWith('on')) {
      el.addEventListener(k.substring(2), v);
    } else if (k === 'class') {
      el.className = v;
    } else if (v === true) {
      el.setAttribute(k, '');
    } else {
      el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) {
      continue;
    }
    if (Array.isArray(c)) {
      append(el, c);
    } else {
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }
}

/** A labelled input: the label names the field for screen readers and tests alike. */
export function field(id, label, attrs = {}) {
  return h('div', { class: 'field' }, h('label', { for: id }, label), h('input', { id, name: id, ...attrs }));
}

export function select(id, label, options, attrs = {}) {
  return h('div', { class: 'field' }, h('label', { for: id }, label),
    h('select', { id, name: id, ...attrs }, options.map(o => Array.isArray(o)
      ? h('option', { value: o[0] }, o[1]) : h('option', { value: o }, o))));
}

/**
 * A table: columns are [header, row => cell (text or Node), class?]. Rows get data-key from
 * {@code key} so that tests and live updates can find them.
 */
export function table(id, caption, columns, rows, key) {
  // A table wider than the window scrolls sideways: its wrapper takes the focus (and a name) so the
  // keyboard can scroll it too.
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption }, h('table', { id },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col' }, c[0])))),
    h('tbody', {}, rows.map(r => h('tr', { 'data-key': key ? key(r) : null },
      columns.map(c => h('td', { class: c[2] || null }, c[1](r))))))));
}

/** An API error as one line: its code, message and the server it came from. */
export function errorLine(err) {
  return h('div', { class: 'error', 'data-code': err.code || 'ERROR' },
    h('span', { class: 'code' }, err.code || 'ERROR'),
    h('span', { class: 'message' }, err.message + (err.server ? ' (server ' + err.server + ')' : '')));
}

/** Shows an error in the page's alert region until dismissed or replaced by the next page. */
export function report(err) {
  const box = errorLine(err);
  box.append(h('button', { type: 'button', 'aria-label': 'Dismiss', onclick: () => box.remove() }, '×'));
  document.getElementById('errors').append(box);
}

export function clearReports() {
  document.getElementById('errors').replaceChildren();
}

export function when(instant) {
  if (!instant) {
    return '—';
  }
  const d = new Date(instant);
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function stateCell(state) {
  return h('span', { class: 'state-' + state }, state);
}

/** Re-renders {@code el}'s children only when {@code data} changed, so focus and clicks survive polls. */
export function replaceIfChanged(el, data, build) {
  const json = JSON.stringify(data);
  if (el.dataset.rendered === json) {
    return;
  }
  el.dataset.rendered = json;
  el.replaceChildren(build());
}

export function percent(progress) {
  if (!progress || progress.total === undefined) {
    return -1;
  }
  if (progress.total <= 0) {
    return progress.total === 0 ? 100 : -1;
  }
  return Math.min(100, Math.floor(progress.done * 100 / progress.total));
}

/** Writes why the page offers nothing when the session's role is below {@code role}; true if so. */
export function lacksRole(page, session, role, title, what) {
  if (session.can(role)) {
    return false;
  }
  page.append(h('h1', {}, title), h('p', {}, what + ' need the role ' + role + '; your token is ' + session.role + '.'));
  return true;
}
