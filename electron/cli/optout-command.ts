/** `horizon optout add|count`: the opt-out registry without the app. Adding needs the admin role. */
import { maskCount } from '../cohorts/masking';
import { addOptOuts, optOutCount, readOptOutList } from '../optout';
import { currentIdentity, disclosureThreshold, requireRole } from '../policy';
import { openCache } from '../store/cache';
import { UsageError, requireOption } from './usage';

export function runOptOutCommand(
  args: string[],
  values: { db?: string; column?: string },
): { json: unknown; text: string } {
  const [sub, ...rest] = args;
  const db = requireOption(values.db, '--db FILE');
  if (sub === 'add') {
    if (rest.length !== 1) throw new UsageError('optout add needs exactly one FILE');
    const identity = requireRole('admin', currentIdentity());
    const ids = readOptOutList(rest[0]!, values.column);
    const cache = openCache(db);
    try {
      const counts = addOptOuts(cache, ids, identity.user, rest[0]!);
      const text =
        `Opt-out list: ${counts.listed} ids, ${counts.added} new. Purged ${counts.subjects} subjects, ` +
        `${counts.events} events, ${counts.cohortMembers} cohort memberships and ` +
        `${counts.forecastResults} forecast results. The purge is in the audit log.`;
      return { json: { optOut: counts }, text };
    } finally {
      cache.close();
    }
  }
  if (sub === 'count') {
    if (rest.length > 0) throw new UsageError('optout count takes no arguments');
    const cache = openCache(db);
    try {
      const count = optOutCount(cache);
      const threshold = disclosureThreshold();
      const shown = maskCount(count, threshold);
      return {
        json: { optOuts: shown },
        text: `People on the opt-out list: ${shown.masked ? `fewer than ${threshold}` : shown.value}`,
      };
    } finally {
      cache.close();
    }
  }
  throw new UsageError('optout needs a subcommand: add or count');
}
