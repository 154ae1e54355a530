/** A warning on every page while HORIZON_TEST_USER sets the acting user (automated tests only). */
import Alert from '@mui/material/Alert';
import { useEffect, useState } from 'react';
import { call } from '../../api';
import { useT } from '../../i18n/context';

export function TestUserBanner() {
  const t = useT();
  const [user, setUser] = useState<string | null>(null);
  useEffect(() => {
    call('policy.identity', {})
      .then((identity) => setUser(identity.testUser ? identity.user : null))
      // A policy error shows on the Exports page, where it matters; the banner stays hidden.
      .catch(() => setUser(null));
  }, []);
  if (user === null) return null;
  return (
    <Alert severity="warning" variant="filled" sx={{ mb: 2 }} data-testid="test-user-banner">
      {t('exports.testUser', { user })}
    </Alert>
  );
}
