/** A saved cohort as it was generated: its stored attrition and the characterization of its members. */
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import type { CohortDetails } from '../../../../shared/cohort-api';
import { call } from '../../api';
import { AddToExportButton } from '../../components/AddToExportButton';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormat, useT } from '../../i18n/context';
import { AttritionView } from './AttritionView';
import { CharacterizationView } from './CharacterizationView';

interface Loaded {
  id: number;
  value: CohortDetails | null;
  error: unknown;
}

export function SavedCohortDetails({ cohortId }: { cohortId: number }) {
  const t = useT();
  const format = useFormat();
  const [loaded, setLoaded] = useState<Loaded | null>(null);

  useEffect(() => {
    let current = true;
    call('cohorts.get', { id: cohortId })
      .then((value) => current && setLoaded({ id: cohortId, value, error: null }))
      .catch((error: unknown) => current && setLoaded({ id: cohortId, value: null, error }));
    return () => {
      current = false;
    };
  }, [cohortId]);

  // Until the newly opened cohort has loaded, nothing of the previous one shows.
  if (!loaded || loaded.id !== cohortId) return null;
  if (!loaded.value) return <ErrorAlert error={loaded.error} />;
  const { cohort, attrition, characterization } = loaded.value;

  return (
    <Box
      role="region"
      aria-label={t('cohorts.saved.details', { name: cohort.name, version: cohort.version })}
      sx={{ mt: 2 }}
    >
      <Typography variant="subtitle2" component="h3" gutterBottom>
        {t('cohorts.saved.generated', {
          name: cohort.name,
          version: cohort.version,
          user: cohort.createdBy,
          time: format.dateTime(cohort.createdAt),
        })}
      </Typography>
      <Box sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)', gap: 3 }}>
        <AttritionView steps={attrition} threshold={characterization.threshold} />
        <CharacterizationView value={characterization} />
      </Box>
      <Box sx={{ mt: 2 }}>
        <AddToExportButton
          output={{
            saved: 'cohort',
            cohortId: cohort.id,
            title: t('cohorts.saved.exportTitle', { name: cohort.name, version: cohort.version }),
          }}
        />
      </Box>
    </Box>
  );
}
