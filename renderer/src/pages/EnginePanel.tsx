/**
 * The forecast engine section of the Settings page: the order in which
 * execution providers are tried and the onnxruntime thread count. The values
 * live in the cache, apply to the next forecast or backtest, and every change
 * is written to the audit log.
 */
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Select from '@mui/material/Select';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useState, type FormEvent } from 'react';
import type { EngineSettings } from '../../../shared/settings-api';
import { call } from '../api';
import { ErrorAlert } from '../components/ErrorAlert';
import { useFormat, useT } from '../i18n/context';

/** Provider orders offered: GPU first with fallbacks, or one provider alone. */
const ORDERS = {
  auto: ['cuda', 'webgpu', 'cpu'],
  webgpu: ['webgpu', 'cpu'],
  cpu: ['cpu'],
} satisfies Record<string, EngineSettings['providers']>;
type OrderKey = keyof typeof ORDERS;
const ORDER_KEYS = Object.keys(ORDERS) as OrderKey[];

function orderKey(providers: EngineSettings['providers']): OrderKey {
  return ORDER_KEYS.find((key) => ORDERS[key].join() === providers.join()) ?? 'auto';
}

export function EnginePanel() {
  const t = useT();
  const format = useFormat();
  const [cores, setCores] = useState<number | null>(null);
  const [order, setOrder] = useState<OrderKey>('auto');
  const [threads, setThreads] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const show = (value: EngineSettings & { cores: number }) => {
    setCores(value.cores);
    setOrder(orderKey(value.providers));
    setThreads(value.threads === null ? '' : String(value.threads));
  };

  useEffect(() => {
    call('settings.engine', {})
      .then(show)
      .catch((caught: unknown) => setError(caught));
  }, []);

  const parsedThreads = threads.trim() === '' ? null : Number(threads);
  const threadsValid =
    parsedThreads === null ||
    (Number.isInteger(parsedThreads) && parsedThreads >= 1 && parsedThreads <= 256);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!threadsValid) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    call('settings.setEngine', { providers: ORDERS[order], threads: parsedThreads })
      .then((value) => {
        show(value);
        setSaved(true);
      })
      .catch((caught: unknown) => setError(caught))
      .finally(() => setBusy(false));
  };

  return (
    <Paper variant="outlined" sx={{ p: 3 }} component="section" aria-labelledby="engine-title">
      <Typography id="engine-title" variant="h6" component="h2" gutterBottom>
        {t('engine.title')}
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        {t('engine.explain')}
      </Typography>
      <Stack component="form" spacing={2} onSubmit={submit} sx={{ maxWidth: 420 }}>
        <FormControl>
          <InputLabel id="engine-order-label">{t('engine.providers')}</InputLabel>
          <Select
            labelId="engine-order-label"
            label={t('engine.providers')}
            value={order}
            onChange={(event) => setOrder(event.target.value as OrderKey)}
          >
            {ORDER_KEYS.map((key) => (
              <MenuItem key={key} value={key}>
                {t(`engine.providers.${key}`)}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <TextField
          label={t('engine.threads')}
          value={threads}
          onChange={(event) => setThreads(event.target.value)}
          inputMode="numeric"
          error={!threadsValid}
          helperText={
            threadsValid
              ? t('engine.threads.help', {
                  cores: cores === null ? '…' : format.number(cores),
                })
              : t('engine.threads.invalid')
          }
        />
        <div>
          <Button type="submit" variant="contained" disabled={busy || !threadsValid}>
            {t('engine.save')}
          </Button>
        </div>
        {saved && <Alert severity="success">{t('engine.saved')}</Alert>}
        {error !== null && <ErrorAlert error={error} />}
      </Stack>
    </Paper>
  );
}
