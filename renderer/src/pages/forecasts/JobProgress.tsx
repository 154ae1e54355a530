/** Progress of a forecast or backtest job: members done of total, ETA, execution provider and Cancel. */
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { useFormat, useT } from '../../i18n/context';
import type { MessageKey } from '../../i18n/en';

interface JobProgressProps {
  phase: string;
  done: number;
  total: number;
  etaSeconds: number | null;
  executionProvider: string | null;
  onCancel(): void;
  cancelling: boolean;
}

export function JobProgress(props: JobProgressProps) {
  const t = useT();
  const format = useFormat();
  const share = props.total > 0 ? (100 * props.done) / props.total : null;
  return (
    <Box role="status" aria-live="polite" data-testid="job-progress" sx={{ my: 2 }}>
      <LinearProgress
        variant={share === null ? 'indeterminate' : 'determinate'}
        value={share ?? undefined}
        aria-label={t('forecast.progress.label')}
      />
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', mt: 1, flexWrap: 'wrap' }}>
        <Typography variant="body2">{t(`forecast.phase.${props.phase}` as MessageKey)}</Typography>
        {props.total > 0 && (
          <Typography variant="body2" data-testid="job-members">
            {t('forecast.progress.members', {
              done: format.number(props.done),
              total: format.number(props.total),
            })}
          </Typography>
        )}
        {props.etaSeconds !== null && (
          <Typography variant="body2" data-testid="job-eta">
            {t('forecast.progress.eta', { time: format.duration(props.etaSeconds * 1000) })}
          </Typography>
        )}
        {props.executionProvider && (
          <Typography variant="body2" data-testid="job-provider">
            {t('forecast.progress.provider', { provider: props.executionProvider })}
          </Typography>
        )}
        <Button
          size="small"
          color="warning"
          variant="outlined"
          onClick={props.onCancel}
          disabled={props.cancelling}
        >
          {t('forecast.cancel')}
        </Button>
      </Box>
    </Box>
  );
}
