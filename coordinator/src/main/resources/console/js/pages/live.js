// Polling that keeps a page live without piling up requests: the next read starts after the last one.
import { report } from '../dom.js';

export const POLL_MILLIS = 2000;

/** Calls {@code read} now and every POLL_MILLIS after it finished, until the returned stop is called. */
export function poll(read) {
  let stopped = false;
  let timer = null;
  let lastError = null;
  const tick = async () => {
    try {
      await read();
      lastError = null;
    } catch (err) {
      // The same failure on every poll is shown once.
      const key = err.code + ' ' + err.message;
      if (key !== lastError) {
        report(err);
      }
      lastError = key;
    }
    if (!stopped) {
      timer = setTimeout(tick, POLL_MILLIS);
    }
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
