/** Model card: what a shipped model is, what it was trained on, how it scored, where it runs, and its hashes. */
import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import Alert from '@mui/material/Alert';
import { useState } from 'react';
import { call } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useFormat, useT } from '../../i18n/context';
import { useRemote } from '../forecasts/useRemote';

/** Flatten nested card fields to dotted keys with printable values. */
function flatten(value: unknown, prefix = ''): [string, string][] {
  if (value === null || typeof value !== 'object') return [[prefix, String(value)]];
  if (Array.isArray(value))
    return value.every((v) => v === null || typeof v !== 'object')
      ? [[prefix, value.join(', ')]]
      : [[prefix, `${value.length}`]];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) =>
    flatten(inner, prefix ? `${prefix}.${key}` : key),
  );
}

export function ModelCardPage() {
  const t = useT();
  const format = useFormat();
  const models = useRemote(() => call('models.list', {}), []);
  const [chosen, setModelId] = useState('');
  const modelId = chosen || models.value?.[0]?.id || '';
  const card = useRemote(modelId ? () => call('models.card', { modelId }) : null, [modelId]);
  const view = card.value;

  const section = (title: string, rows: [string, string][], label: string) => (
    <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-label={title}>
      <Typography variant="subtitle1" component="h2" sx={{ mb: 1 }}>
        {title}
      </Typography>
      <Table size="small" aria-label={label}>
        <TableBody>
          {rows.map(([key, value]) => (
            <TableRow key={key}>
              <TableCell sx={{ width: 280 }}>{key}</TableCell>
              <TableCell sx={{ wordBreak: 'break-all' }}>{value}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Paper>
  );

  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      <Typography variant="h5" component="h1">
        {t('nav.models')}
      </Typography>
      {models.error !== null && <ErrorAlert error={models.error} />}
      <TextField
        select
        size="small"
        label={t('models.choose')}
        value={modelId}
        onChange={(event) => setModelId(event.target.value)}
        sx={{ maxWidth: 360 }}
      >
        {(models.value ?? []).map((m) => (
          <MenuItem key={m.id} value={m.id}>
            {`${m.cardId} ${m.version}`}
          </MenuItem>
        ))}
      </TextField>
      {card.loading && <Typography>{t('models.loading')}</Typography>}
      {card.error !== null && <ErrorAlert error={card.error} />}
      {view && (
        <>
          <Typography>{view.description}</Typography>
          {view.status && view.status !== 'final' && (
            <Alert severity="info">{t('models.status', { status: view.status })}</Alert>
          )}
          {view.notes && <Typography variant="body2">{view.notes}</Typography>}
          {view.loadError && (
            <Alert severity="error" role="alert">
              {t('models.loadError', { message: view.loadError })}
            </Alert>
          )}
          {section(
            t('models.runtime'),
            [
              [t('models.provider'), view.executionProvider ?? '—'],
              ...view.providerFailures.map((f): [string, string] => [
                t('models.providerFailed', { provider: f.provider }),
                f.reason,
              ]),
              [t('models.contextLength'), format.number(view.contextLength)],
              [t('models.vocabularySize'), format.number(view.vocabularySize)],
              [t('models.created'), view.created ?? '—'],
            ],
            t('models.runtime'),
          )}
          {section(
            t('models.architecture'),
            Object.entries(view.architecture).map(([k, v]) => [k, String(v)]),
            t('models.architecture'),
          )}
          {section(t('models.training'), flatten(view.trainingData), t('models.training'))}
          {section(t('models.metrics'), flatten(view.metrics), t('models.metrics'))}
          <Paper
            variant="outlined"
            sx={{ p: 2 }}
            component="section"
            aria-label={t('models.files')}
          >
            <Typography variant="subtitle1" component="h2" sx={{ mb: 1 }}>
              {t('models.files')}
            </Typography>
            <Table size="small" aria-label={t('models.files')}>
              <TableHead>
                <TableRow>
                  <TableCell>{t('models.file')}</TableCell>
                  <TableCell>sha256</TableCell>
                  <TableCell>{t('models.verified')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {view.files.map((file) => (
                  <TableRow key={file.name}>
                    <TableCell>{file.name}</TableCell>
                    <TableCell sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
                      {file.sha256}
                    </TableCell>
                    <TableCell>{file.verified ? t('models.yes') : t('models.no')}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Paper>
          <Paper
            variant="outlined"
            sx={{ p: 2 }}
            component="section"
            aria-label={t('models.vocabulary')}
          >
            <Typography variant="subtitle1" component="h2" sx={{ mb: 1 }}>
              {t('models.vocabulary')}
            </Typography>
            <Table size="small" aria-label={t('models.vocabulary')}>
              <TableHead>
                <TableRow>
                  <TableCell>{t('models.token')}</TableCell>
                  <TableCell>{t('forecast.column.code')}</TableCell>
                  <TableCell>{t('models.kind')}</TableCell>
                  <TableCell>{t('forecast.column.description')}</TableCell>
                  <TableCell align="right">{t('models.count')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {view.vocabulary.map((token, i) => (
                  <TableRow key={token.code}>
                    <TableCell>{i}</TableCell>
                    <TableCell>{token.code}</TableCell>
                    <TableCell>
                      {token.chronic ? `${token.kind} (${t('models.chronic')})` : token.kind}
                    </TableCell>
                    <TableCell>{token.description ?? ''}</TableCell>
                    <TableCell align="right">
                      {token.count === null ? '' : format.number(token.count)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Paper>
        </>
      )}
    </Box>
  );
}
