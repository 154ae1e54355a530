/** Saved cohorts with their versions: who generated each and when. */
import Button from '@mui/material/Button';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { CohortSummary } from '../../../../shared/cohorts';
import { DEFAULT_DISCLOSURE_THRESHOLD } from '../../../../shared/cohorts';
import { useFormat, useT } from '../../i18n/context';
import { maskedText } from './maskedText';

interface SavedCohortsProps {
  cohorts: CohortSummary[];
  onOpen(cohort: CohortSummary): void;
}

export function SavedCohorts({ cohorts, onOpen }: SavedCohortsProps) {
  const t = useT();
  const format = useFormat();
  if (cohorts.length === 0)
    return <Typography color="text.secondary">{t('cohorts.saved.empty')}</Typography>;

  return (
    <Table size="small" aria-label={t('cohorts.saved.table')}>
      <TableHead>
        <TableRow>
          <TableCell>{t('cohorts.saved.name')}</TableCell>
          <TableCell align="right">{t('cohorts.saved.version')}</TableCell>
          <TableCell align="right">{t('cohorts.saved.members')}</TableCell>
          <TableCell>{t('cohorts.saved.dataset')}</TableCell>
          <TableCell>{t('cohorts.saved.createdBy')}</TableCell>
          <TableCell>{t('cohorts.saved.createdAt')}</TableCell>
          <TableCell />
        </TableRow>
      </TableHead>
      <TableBody>
        {cohorts.map((cohort) => (
          <TableRow key={cohort.id}>
            <TableCell>{cohort.name}</TableCell>
            <TableCell align="right">{cohort.version}</TableCell>
            <TableCell align="right">
              {maskedText(cohort.members, DEFAULT_DISCLOSURE_THRESHOLD, t, format)}
            </TableCell>
            <TableCell>{cohort.datasetId}</TableCell>
            <TableCell>{cohort.createdBy}</TableCell>
            <TableCell>{format.dateTime(cohort.createdAt)}</TableCell>
            <TableCell>
              <Button
                size="small"
                disabled={cohort.definition === null}
                onClick={() => onOpen(cohort)}
                aria-label={t('cohorts.saved.openLabel', {
                  name: cohort.name,
                  version: cohort.version,
                })}
              >
                {t('cohorts.saved.open')}
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
