import ScienceIcon from '@mui/icons-material/Science';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { ErrorAlert } from '../components/ErrorAlert';
import { useFormat, useT } from '../i18n/context';
import type { ImportJob } from './useImportJob';

/**
 * Shown on an empty cache: loads the synthetic demo population, so trainers and
 * new users have data that anyone may see.
 */
export function DemoOffer({ people, importJob }: { people: number | null; importJob: ImportJob }) {
  const t = useT();
  const format = useFormat();
  const job = importJob.job?.kind === 'synth' ? importJob.job : null;
  const running = importJob.running && (job !== null || importJob.job === null);
  const progress = job?.progress ?? null;
  const done = progress?.rows ?? 0;
  const total = progress?.totalRows ?? people ?? 0;

  return (
    <Paper variant="outlined" sx={{ p: 3 }} component="section" aria-labelledby="demo-offer-title">
      <Stack spacing={2}>
        <Typography variant="h6" component="h2" id="demo-offer-title">
          {t('demo.title')}
        </Typography>
        <Typography color="text.secondary">
          {t('demo.description', { people: people === null ? '…' : format.number(people) })}
        </Typography>

        {running ? (
          <Stack spacing={1}>
            <Typography variant="body2" role="status">
              {t('demo.loading', { done: format.number(done), total: format.number(total) })}
            </Typography>
            <LinearProgress
              aria-label={t('demo.loading', {
                done: format.number(done),
                total: format.number(total),
              })}
              variant={total > 0 ? 'determinate' : 'indeterminate'}
              value={total > 0 ? (100 * done) / total : undefined}
            />
            <div>
              <Button onClick={importJob.cancel} disabled={importJob.cancelling}>
                {importJob.cancelling ? t('import.cancelling') : t('demo.cancel')}
              </Button>
            </div>
          </Stack>
        ) : (
          <div>
            <Button variant="contained" startIcon={<ScienceIcon />} onClick={importJob.startDemo}>
              {t('demo.load')}
            </Button>
          </div>
        )}

        {job?.status === 'cancelled' && <Alert severity="info">{t('import.cancelled')}</Alert>}
        {job?.error && job.status === 'failed' && <ErrorAlert error={job.error} />}
        {importJob.callError !== null && <ErrorAlert error={importJob.callError} />}
      </Stack>
    </Paper>
  );
}
