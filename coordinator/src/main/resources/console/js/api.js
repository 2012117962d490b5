// The coordinator's API as the console uses it: the session cookie goes with every call, and the
// CSRF token (readable from its own cookie) with every call that changes something.

/** An answer with an error: the API's code, message and server, as the API gave them. */
export class ApiError extends Error {
  constructor(status, info) {
    super(info.message || ('HTTP ' + status));
    this.status = status;
    this.code = info.code || ('HTTP_' + status);
    this.server = info.server || null;
    this.definite = info.definite;
  }
}

export const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'STOPPED', 'REMOVED', 'INTERRUPTED']);

function csrf() {
  const c = document.cookie.split(';').map(s => s.trim()).find(s => s.startsWith('storefleet-csrf='));
  return c ? decodeURIComponent(c.substring('storefleet-csrf='.length)) : '';
}

let onSignedOut = () => {};

/** What to do when the session ends under the console (signed out elsewhere, token revoked). */
export function whenSignedOut(handler) {
  onSignedOut = handler;
}

/** A new client-generated request id (docs/protocol.md, "Request ids"): one per action, kept on retries. */
export function requestId() {
  // getRandomValues, not randomUUID: the latter needs a secure context, and a plain-HTTP console is allowed.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, x => x.toString(16).padStart(2, '0')).join('');
  return hex.substring(0, 8) + '-' + hex.substring(8, 12) + '-' + hex.substring(12, 16) + '-' + hex.substring(16, 20)
    + '-' + hex.substring(20);
}

/** How often a call that carries a request id is sent again when no answer came, and after how long. */
const RETRIES = 2;
const RETRY_MILLIS = 1000;

/**
 * Calls the API. Every call that changes something carries a new request id, as the CLI's do: in
 * the JSON body's {@code requestId}, or for a DELETE in the {@code requestId} query parameter.
 * With {@code retry}, for routes that run a request id at most once (commands), a call that got
 * no answer is sent again with the same id, and a repeat gets the first answer.
 */
export async function call(method, path, body, retry = false) {
  const headers = { 'Accept': 'application/json' };
  let id = null;
  if (method !== 'GET') {
    headers['X-Storefleet-CSRF'] = csrf();
    id = body && body.requestId ? body.requestId : requestId();
    if (body !== undefined) {
      body = { ...body, requestId: id };
    } else {
      path += (path.includes('?') ? '&' : '?') + 'requestId=' + encodeURIComponent(id);
    }
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let res;
  for (let attempt = 0; ; attempt++) {
    try {
      res = await fetch(path, { method, headers, credentials: 'same-origin', cache: 'no-store',
        body: body === undefined ? undefined : JSON.stringify(body) });
      break;
    } catch (e) {
      if (!retry || attempt >= RETRIES) {
        throw new ApiError(0, { code: 'NO_ANSWER', message: 'the coordinator did not answer (' + e.message + ')'
          + (retry ? '; request id ' + id + ' was sent ' + (attempt + 1) + ' times' : '') });
      }
      await new Promise(resolve => setTimeout(resolve, RETRY_MILLIS));
    }
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!res.ok) {
    const err = new ApiError(res.status, json && json.error ? json.error : { message: text || res.statusText });
    if (res.status === 401 && path !== '/api/v1/session') {
      onSignedOut(err);
    }
    throw err;
  }
  return json;
}

export const get = path => call('GET', path);

/** POST /api/v1/commands: {@code args} as on the command line, to {@code target} (a server, all_servers or null). */
export function command(args, target, module = 'backup') {
  return call('POST', '/api/v1/commands', { module, args, target: target || null }, true);
}

/** The command line a submission is equivalent to, for people to learn from and to script. */
export function commandLine(args, target, module = 'backup') {
  const quote = a => /^[A-Za-z0-9@%+=:,./_-]+$/.test(a) ? a : "'" + a.replace(/'/g, "'\\''") + "'";
  return 'storefleet ' + (target ? '--host ' + quote(target) + ' ' : '') + module + ' ' + args.map(quote).join(' ');
}

/**
 * Follows an operation through the progress stream (server-sent events) until it ends. If the
 * stream cannot be opened, the operation is read once so that its error is shown.
 * Returns a function that stops following.
 */
export function follow(uuid, onSnapshot, onError) {
  const source = new EventSource('/api/v1/operations/' + encodeURIComponent(uuid) + '/events');
  let seen = false;
  source.onmessage = e => {
    seen = true;
    const op = JSON.parse(e.data);
    onSnapshot(op);
    if (TERMINAL.has(op.state)) {
      source.close();
    }
  };
  source.addEventListener('error', e => {
    if (e.data) {
      // The stream's own error event: the coordinator lost the operation's server, or the session
      // ended (signed out elsewhere, its token revoked) while the stream was open.
      source.close();
      const info = JSON.parse(e.data);
      const err = new ApiError(info.code === 'UNAUTHORIZED' ? 401 : 503, info);
      if (err.status === 401) {
        onSignedOut(err);
      }
      onError(err);
      return;
    }
    if (source.readyState === EventSource.CLOSED || !seen) {
      source.close();
      get('/api/v1/operations/' + encodeURIComponent(uuid)).then(op => {
        onSnapshot(op);
        if (!TERMINAL.has(op.state)) {
          // Open again: the stream ended early (a coordinator restart, say).
          stop = follow(uuid, onSnapshot, onError);
        }
      }, onError);
    }
  });
  let stop = () => source.close();
  return () => stop();
}
