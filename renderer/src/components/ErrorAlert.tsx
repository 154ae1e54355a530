import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Typography from '@mui/material/Typography';
import type { ErrorPayload } from '../../../shared/errors';
import { ApiError } from '../api';
import { errorKey, useT } from '../i18n/context';

/**
 * Shows an error in the active language, with the main process's English message
 * below it, because that message names the file, row and field and the fix.
 * Accepts an ApiError from `call`, an ErrorPayload from a job, or anything thrown.
 */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const t = useT();
  const payload = toPayload(error);
  const summary = t(errorKey(payload.code), payload.params);

  return (
    <Alert severity="error" role="alert" data-testid="error-alert">
      {title && title !== summary && <AlertTitle>{title}</AlertTitle>}
      <Typography variant="body2" data-testid="error-summary">
        {summary}
      </Typography>
      {payload.message && (
        <Typography variant="body2" sx={{ mt: 0.5, opacity: 0.85 }} data-testid="error-detail">
          {t('error.details', { message: payload.message })}
        </Typography>
      )}
    </Alert>
  );
}

function toPayload(error: unknown): ErrorPayload {
  if (error instanceof ApiError)
    return { code: error.code, message: error.message, params: error.params };
  if (isErrorPayload(error)) return error;
  return {
    code: 'internal',
    message: error instanceof Error ? error.message : String(error),
    params: {},
  };
}

function isErrorPayload(value: unknown): value is ErrorPayload {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ErrorPayload>;
  return typeof candidate.code === 'string' && typeof candidate.message === 'string';
}
