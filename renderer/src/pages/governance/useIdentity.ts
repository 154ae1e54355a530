/** The current user's identity and roles from the main process, to hide what the role may not do. */
import { useEffect, useState } from 'react';
import type { Identity } from '../../../../shared/airlock';
import { call } from '../../api';

export function useIdentity(): Identity | null {
  const [identity, setIdentity] = useState<Identity | null>(null);
  useEffect(() => {
    let active = true;
    call('policy.identity', {})
      .then((value) => {
        if (active) setIdentity(value);
      })
      // Without an identity the admin-only controls stay hidden, which is the safe default.
      .catch(() => undefined);
    return () => {
      active = false;
    };
  }, []);
  return identity;
}
