/**
 * "Add to export request" for an aggregate table or chart. Sends the output
 * to the user's newest draft request (or `requestId`), where the disclosure
 * checks run, and reports the outcome in a snackbar. Pages must not offer it
 * for member-level tables; the main process rejects those anyway.
 */
import OutboxIcon from '@mui/icons-material/Outbox';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Snackbar from '@mui/material/Snackbar';
import { useState } from 'react';
import type { Output } from '../../../shared/airlock';
import { call } from '../api';
import { useT } from '../i18n/context';
import { ErrorAlert } from './ErrorAlert';

export interface AddToExportButtonProps {
  /**
   * The output, or a function that builds it (e.g. renders the chart image) when
   * clicked; or `saved`, for outputs the main process builds from the cache.
   */
  output:
    | Output
    | (() => Output | Promise<Output>)
    | { saved: 'cohort'; cohortId: number; title: string };
  requestId?: string;
  /** Shown in the accessible name and the confirmation; defaults to the output's title. */
  title?: string;
  size?: 'small' | 'medium';
  onAdded?(result: { requestId: string; fileId: string }): void;
}

export function AddToExportButton({
  output,
  requestId,
  title,
  size = 'small',
  onAdded,
}: AddToExportButtonProps) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const name = title ?? (typeof output === 'function' ? '' : output.title);

  /** Send the output to the main process and return its result with the title shown. */
  async function send() {
    if (typeof output !== 'function' && 'saved' in output) {
      const { cohortId } = output;
      const result = await call('airlock.addCohort', {
        cohortId,
        ...(requestId ? { requestId } : {}),
      });
      return { result, title: output.title };
    }
    const value = typeof output === 'function' ? await output() : output;
    const result = await call('airlock.addOutput', {
      output: value,
      ...(requestId ? { requestId } : {}),
    });
    return { result, title: value.title };
  }

  async function add() {
    setBusy(true);
    setError(null);
    try {
      const { result, title: added } = await send();
      const count = (outcome: string) =>
        result.checks.filter((check) => check.outcome === outcome).length;
      setMessage(
        `${t('addToExport.added', { title: title ?? added, requestId: result.requestId })} ` +
          t('addToExport.checks', {
            changed: count('suppressed'),
            failed: count('fail'),
            review: count('review'),
          }),
      );
      onAdded?.(result);
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button
        size={size}
        variant="outlined"
        startIcon={<OutboxIcon />}
        disabled={busy}
        onClick={() => void add()}
        aria-label={t('addToExport.label', { title: name })}
      >
        {t('addToExport.button')}
      </Button>
      <Snackbar
        open={message !== null || error !== null}
        autoHideDuration={8000}
        onClose={() => {
          setMessage(null);
          setError(null);
        }}
      >
        <div>
          {message !== null && (
            <Alert severity="success" role="status" onClose={() => setMessage(null)}>
              {message}
            </Alert>
          )}
          {error !== null && <ErrorAlert error={error} />}
        </div>
      </Snackbar>
    </>
  );
}
