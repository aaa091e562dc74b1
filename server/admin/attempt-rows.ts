import { iso } from '../clock.ts';
import type { AttemptTally } from '../store/sign-in-attempts.ts';
import type { AttemptRow } from '../../api/admin.ts';

/** A day's tally of blocked code requests as the admin API answers it: never the address or its digest. */
export const attemptRow = (t: AttemptTally): AttemptRow => ({
  day: iso(t.day).slice(0, 10),
  channel: t.channel,
  block: t.block,
  detail: t.detail,
  tries: t.tries,
  firstAt: iso(t.firstAt),
  lastAt: iso(t.lastAt),
});
