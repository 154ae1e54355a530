/** The policy and airlock channels: identity, export requests, reviews and release. */
import type { Channel } from '../../shared/api';
import { currentIdentity } from '../policy';
import type { Handlers } from './router';

type AirlockChannel = Extract<Channel, `airlock.${string}` | 'policy.identity'>;

export function airlockHandlers(): Pick<Handlers, AirlockChannel> {
  return {
    'policy.identity': () => currentIdentity(),
  };
}
