// The console's shell: sign-in, the navigation, and one page at a time, chosen by the URL's hash.
import { call, get, whenSignedOut } from './api.js';
import { clearReports, report } from './dom.js';
import * as servers from './pages/servers.js';
import * as queue from './pages/queue.js';
import * as operation from './pages/operation.js';
import * as account from './pages/account.js';
import * as shares from './pages/shares.js';
import * as imports from './pages/imports.js';
import * as broadcast from './pages/broadcast.js';

const PAGES = { servers, queue, operation, account, shares, imports, broadcast };
const ROLES = ['viewer', 'helpdesk', 'operator', 'admin'];

const session = {
  name: null,
  role: null,
  /** Whether the signed-in token's role includes {@code needed}; the API checks it again. */
  can(needed) {
    return this.role !== null && ROLES.indexOf(this.role) >= ROLES.indexOf(needed);
  },
};

let leavePage = () => {};

function $(id) {
  return document.getElementById(id);
}

function showSignIn() {
  leavePage();
  leavePage = () => {};
  session.name = null;
  session.role = null;
  $('nav').hidden = true;
  $('sign-out').hidden = true;
  $('who').textContent = '';
  $('page').hidden = true;
  $('page').replaceChildren();
  $('sign-in').hidden = false;
  $('token').focus();
}

function signedIn(who) {
  session.name = who.name;
  session.role = String(who.role).toLowerCase();
  $('sign-in').hidden = true;
  $('nav').hidden = false;
  $('sign-out').hidden = false;
  $('who').textContent = who.name + ' (' + session.role + ')';
  for (const a of $('nav').querySelectorAll('a[data-role]')) {
    a.hidden = !session.can(a.dataset.role);
  }
  $('page').hidden = false;
  route();
}

function route() {
  if (session.role === null) {
    return;
  }
  const parts = (location.hash || '#/servers').replace(/^#\/?/, '').split('/');
  const name = PAGES[parts[0]] ? parts[0] : 'servers';
  leavePage();
  clearReports();
  for (const a of $('nav').querySelectorAll('a')) {
    if (a.dataset.page === name) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  }
  const page = $('page');
  page.replaceChildren();
  page.dataset.page = name;
  try {
    leavePage = PAGES[name].render(page, session, parts.slice(1).map(decodeURIComponent)) || (() => {});
  } catch (e) {
    report(e);
    leavePage = () => {};
  }
  document.title = 'storefleet · ' + name;
}

$('sign-in-form').addEventListener('submit', async e => {
  e.preventDefault();
  clearReports();
  const input = $('token');
  const button = $('sign-in-button');
  button.disabled = true;
  try {
    const who = await call('POST', '/api/v1/session', { token: input.value });
    input.value = '';
    signedIn(who);
  } catch (err) {
    report(err);
    input.select();
  } finally {
    button.disabled = false;
  }
});

$('sign-out').addEventListener('click', async () => {
  try {
    await call('DELETE', '/api/v1/session');
  } catch (err) {
    report(err);
  }
  showSignIn();
});

whenSignedOut(err => {
  if (session.role !== null) {
    showSignIn();
    report(err);
  }
});

window.addEventListener('hashchange', route);

get('/api/v1/whoami').then(signedIn, err => {
  showSignIn();
  if (err.status !== 401) {
    report(err);
  }
});
