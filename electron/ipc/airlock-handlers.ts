/** The policy and airlock channels: identity, export requests, reviews and release. */
import { dirname } from 'node:path';
import type { Channel } from '../../shared/api';
import { appendAudit } from '../audit';
import { openAirlock, type Airlock } from '../airlock';
import { cohortCharacterizationOutput } from '../airlock/sources';
import { findCohortById } from '../cohorts/store';
import type { Cache } from '../store/cache';
import { currentIdentity } from '../policy';
import type { Handlers } from './router';

type AirlockChannel = Extract<Channel, `airlock.${string}` | 'policy.identity'>;

/**
 * `cachePath`'s folder holds the airlock when the policy names no shared
 * folder. The airlock is opened per call so a changed policy file applies at once.
 */
export function airlockHandlers(
  cache: Cache,
  cachePath: string,
  auditLog: string,
): Pick<Handlers, AirlockChannel> {
  const airlock = (): Airlock =>
    openAirlock({
      fallbackDir: dirname(cachePath),
      audit: (input) => appendAudit(input, auditLog),
    });

  return {
    'policy.identity': () => currentIdentity(),
    'airlock.addOutput': (request) => airlock().addOutput(request),
    'airlock.addCohort': ({ requestId, cohortId }) => {
      const cohort = findCohortById(cache, cohortId);
      const output = cohortCharacterizationOutput(cache, cohort.name, cohort.version);
      return airlock().addOutput({ output, ...(requestId ? { requestId } : {}) });
    },
    'airlock.create': (request) => airlock().create(request),
    'airlock.update': (request) => airlock().update(request),
    'airlock.list': () => airlock().list(),
    'airlock.get': ({ requestId }) => airlock().get(requestId),
    'airlock.setContext': (request) => airlock().setContext(request),
    'airlock.removeFile': (request) => airlock().removeFile(request),
    'airlock.submit': ({ requestId }) => airlock().submit(requestId),
    'airlock.withdraw': ({ requestId }) => airlock().withdraw(requestId),
    'airlock.vote': (request) => airlock().vote(request),
    'airlock.comment': (request) => airlock().comment(request),
    'airlock.approve': ({ requestId }) => airlock().approve(requestId),
    'airlock.return': ({ requestId, comment }) => airlock().returnRequest(requestId, comment),
    'airlock.reject': ({ requestId, comment }) => airlock().reject(requestId, comment),
    'airlock.release': ({ requestId }) => airlock().release(requestId),
  };
}
