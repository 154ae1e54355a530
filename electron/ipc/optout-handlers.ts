/** The opt-out channels. Adding a list purges data, so the main process requires the admin role. */
import type { Channel } from '../../shared/api';
import { maskCount } from '../cohorts/masking';
import { addOptOuts, optOutCount, readOptOutList } from '../optout';
import { currentIdentity, requireRole } from '../policy';
import type { Cache } from '../store/cache';
import type { Handlers } from './router';

type OptOutChannel = Extract<Channel, `optout.${string}`>;

export function optOutHandlers(db: Cache): Pick<Handlers, OptOutChannel> {
  return {
    'optout.count': () => ({
      count: maskCount(optOutCount(db), currentIdentity().disclosureThreshold),
    }),
    'optout.add': ({ path, column }) => {
      const identity = requireRole('admin');
      const counts = addOptOuts(db, readOptOutList(path, column), identity.user, path);
      const mask = (value: number) => maskCount(value, identity.disclosureThreshold);
      return {
        listed: counts.listed,
        added: counts.added,
        subjects: mask(counts.subjects),
        events: mask(counts.events),
        cohortMembers: mask(counts.cohortMembers),
        forecastResults: mask(counts.forecastResults),
      };
    },
  };
}
