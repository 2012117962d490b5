// A command run from a page: the equivalent command line shown first, then its answer, and for a
// queued operation its progress followed live to its end.
import { command, commandLine, follow } from '../api.js';
import { errorLine, h } from '../dom.js';
import { facts } from './operation.js';

/** Runs {@code args} on {@code target} into {@code panel}; returns a function that stops following. */
export function run(panel, args, target, onEnd = () => {}) {
  let stop = () => {};
  panel.replaceChildren(h('p', {}, 'Equivalent command line:'), h('pre', { class: 'cli' }, commandLine(args, target)));
  const result = h('div', { class: 'action-result', 'aria-live': 'polite' }, 'Sending…');
  panel.append(result);
  command(args, target).then(res => {
    const op = res.reply && res.reply.operation;
    result.replaceChildren(h('p', {}, (res.text || '').trim() || 'Done.'));
    if (op) {
      const live = h('div', { class: 'action-operation' });
      result.append(h('p', {}, h('a', { href: '#/operation/' + op.uuid }, 'Operation ' + op.uuid)), live);
      stop = follow(op.uuid, snapshot => {
        live.replaceChildren(facts(snapshot));
        if (['SUCCEEDED', 'FAILED', 'STOPPED', 'REMOVED', 'INTERRUPTED'].includes(snapshot.state)) {
          onEnd(snapshot);
        }
      }, err => live.replaceChildren(errorLine(err)));
    } else {
      onEnd(null, res);
    }
  }, err => result.replaceChildren(errorLine(err)));
  return () => stop();
}
