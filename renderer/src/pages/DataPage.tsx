import RefreshIcon from '@mui/icons-material/Refresh';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useState } from 'react';
import type { AppInfo } from '../../../shared/api';
import type { CacheInfo, DatasetSummary } from '../../../shared/datasets';
import { call } from '../api';
import { ErrorAlert } from '../components/ErrorAlert';
import { useFormat, useT } from '../i18n/context';
import { DemoOffer } from './DemoOffer';
import { useIdentity } from './governance/useIdentity';
import { ImportDialog } from './ImportDialog';
import { dateRange, progressFraction } from './importFormat';
import { useImportJob } from './useImportJob';

interface Listing {
  datasets: DatasetSummary[];
  cache: CacheInfo;
}

export interface DataPageProps {
  info: AppInfo | null;
  /** Called with fresh cache totals after every refresh, so the frame can show the synthetic-data banner. */
  onCacheChanged?: (cache: CacheInfo) => void;
}

export function DataPage({ info, onCacheChanged }: DataPageProps) {
  const t = useT();
  const [listing, setListing] = useState<Listing | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [dialogOpen, setDialogOpen] = useState(false);
  // The main process refuses imports from users the policy does not list as analysts.
  const identity = useIdentity();
  const canImport = identity?.roles.includes('analyst') ?? false;

  const refresh = useCallback(() => {
    Promise.all([call('datasets.list', {}), call('cache.info', {})])
      .then(([datasets, cache]) => {
        setListing({ datasets, cache });
        setLoadError(null);
        onCacheChanged?.(cache);
      })
      .catch((error: unknown) => setLoadError(error));
  }, [onCacheChanged]);

  useEffect(refresh, [refresh]);

  // Refresh after every ending, not only success, because a failed or
  // cancelled import also changes the cache file and its size.
  const importJob = useImportJob(refresh);
  const runningFraction = importJob.job?.progress ? progressFraction(importJob.job.progress) : null;

  return (
    <Stack spacing={3}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        <Typography variant="h5" component="h1" sx={{ flexGrow: 1 }}>
          {t('data.title')}
        </Typography>
        <Button startIcon={<RefreshIcon />} onClick={refresh}>
          {t('data.refresh')}
        </Button>
        {canImport && (
          <Button
            variant="contained"
            startIcon={<UploadFileIcon />}
            onClick={() => setDialogOpen(true)}
          >
            {t('data.import')}
          </Button>
        )}
      </Stack>

      {importJob.running && !dialogOpen && importJob.job?.kind !== 'synth' && (
        <Alert
          severity="info"
          action={
            <Button color="inherit" size="small" onClick={() => setDialogOpen(true)}>
              {t('data.showImport')}
            </Button>
          }
        >
          {t('data.importRunning')}
          <LinearProgress
            aria-label={t('import.progressLabel')}
            variant={runningFraction === null ? 'indeterminate' : 'determinate'}
            value={runningFraction === null ? undefined : runningFraction * 100}
            sx={{ mt: 1, minWidth: 240 }}
          />
        </Alert>
      )}

      {loadError !== null && <ErrorAlert error={loadError} />}
      {listing ? (
        <CacheSummary cache={listing.cache} />
      ) : (
        loadError === null && <LinearProgress aria-label={t('app.loading')} />
      )}
      {listing && listing.datasets.length === 0 && !dialogOpen && (
        <DemoOffer people={info?.demoPeople ?? null} importJob={importJob} />
      )}
      {listing && <DatasetTable datasets={listing.datasets} />}

      <ImportDialog
        open={dialogOpen}
        nativeDialogs={info?.nativeDialogs ?? false}
        importJob={importJob}
        onClose={() => setDialogOpen(false)}
      />
    </Stack>
  );
}

function CacheSummary({ cache }: { cache: CacheInfo }) {
  const t = useT();
  const format = useFormat();
  const stats: [string, string][] = [
    [t('data.cache.datasets'), format.number(cache.datasets)],
    [t('data.cache.subjects'), format.number(cache.subjects)],
    [t('data.cache.events'), format.number(cache.events)],
    [t('data.cache.codes'), format.number(cache.codes)],
    [t('data.cache.size'), format.bytes(cache.sizeBytes)],
  ];

  return (
    <Paper
      variant="outlined"
      sx={{ p: 2 }}
      component="section"
      aria-labelledby="cache-summary-title"
    >
      <Typography variant="subtitle1" component="h2" id="cache-summary-title" gutterBottom>
        {t('data.cache.title')}
      </Typography>
      <Stack direction="row" spacing={4} component="dl" sx={{ m: 0, flexWrap: 'wrap' }} useFlexGap>
        {stats.map(([label, value]) => (
          <Box key={label}>
            <Typography component="dt" variant="body2" color="text.secondary">
              {label}
            </Typography>
            <Typography component="dd" variant="h6" sx={{ m: 0 }}>
              {value}
            </Typography>
          </Box>
        ))}
        <Box sx={{ minWidth: 0, flex: '1 1 240px' }}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {t('data.cache.path')}
          </Typography>
          <Typography
            component="dd"
            variant="body2"
            sx={{ m: 0, mt: 0.75, wordBreak: 'break-all' }}
          >
            {cache.path}
          </Typography>
        </Box>
      </Stack>
    </Paper>
  );
}

function DatasetTable({ datasets }: { datasets: DatasetSummary[] }) {
  const t = useT();
  const format = useFormat();

  if (datasets.length === 0) {
    return (
      <Paper variant="outlined" sx={{ p: 3 }}>
        <Typography color="text.secondary">{t('data.empty')}</Typography>
      </Paper>
    );
  }

  return (
    <TableContainer component={Paper} variant="outlined">
      <Table size="small" aria-label={t('data.tableLabel')}>
        <TableHead>
          <TableRow sx={{ '& th': { whiteSpace: 'nowrap' } }}>
            <TableCell>{t('data.column.name')}</TableCell>
            <TableCell align="right">{t('data.column.version')}</TableCell>
            <TableCell>{t('data.column.format')}</TableCell>
            <TableCell>{t('data.column.source')}</TableCell>
            <TableCell align="right">{t('data.column.subjects')}</TableCell>
            <TableCell align="right">{t('data.column.events')}</TableCell>
            <TableCell align="right">{t('data.column.codes')}</TableCell>
            <TableCell>{t('data.column.dateRange')}</TableCell>
            <TableCell>{t('data.column.importedAt')}</TableCell>
            <TableCell>{t('data.column.importedBy')}</TableCell>
            <TableCell align="right">{t('data.column.warnings')}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {datasets.map((dataset) => (
            <TableRow key={dataset.id} data-testid={`dataset-row-${dataset.id}`}>
              <TableCell component="th" scope="row" sx={{ whiteSpace: 'nowrap' }}>
                {dataset.name}
              </TableCell>
              <TableCell align="right">{format.number(dataset.version)}</TableCell>
              <TableCell>{t(`format.${dataset.format}`)}</TableCell>
              <TableCell
                title={dataset.source}
                sx={{
                  maxWidth: 260,
                  overflow: 'hidden',
                  textOverflow: 'ellipsis',
                  whiteSpace: 'nowrap',
                }}
              >
                {dataset.source}
              </TableCell>
              <TableCell align="right">{format.number(dataset.subjects)}</TableCell>
              <TableCell align="right">{format.number(dataset.events)}</TableCell>
              <TableCell align="right">{format.number(dataset.codes)}</TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>{dateRange(dataset, t, format)}</TableCell>
              <TableCell sx={{ whiteSpace: 'nowrap' }}>
                {format.dateTime(dataset.importedAt)}
              </TableCell>
              <TableCell>{dataset.importedBy}</TableCell>
              <TableCell align="right" title={dataset.warnings.join('\n')}>
                {format.number(dataset.warnings.length)}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
