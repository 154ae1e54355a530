/**
 * Export review. Analysts see their requests and edit drafts; reviewers and
 * administrators also get the review queue. Controls appear only for the
 * actions the main process reports as allowed, and the main process rejects
 * anything else anyway.
 */
import AddIcon from '@mui/icons-material/Add';
import RefreshIcon from '@mui/icons-material/Refresh';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useState } from 'react';
import type { Identity, RequestSummary, RequestView } from '../../../../shared/airlock';
import { call } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useLocale, useT } from '../../i18n/context';
import { RequestDetail, type RequestActions } from './RequestDetail';
import { roleKeys, stateKeys } from './labels';

const QUEUE_STATES = new Set(['submitted', 'partially_reviewed', 'reviewed', 'approved']);

export function ExportsPage() {
  const t = useT();
  const locale = useLocale();
  const [identity, setIdentity] = useState<Identity | null>(null);
  const [requests, setRequests] = useState<RequestSummary[]>([]);
  const [selected, setSelected] = useState<RequestView | null>(null);
  const [verifiedFiles, setVerifiedFiles] = useState<number | null>(null);
  const [tab, setTab] = useState<'mine' | 'queue'>('mine');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [creating, setCreating] = useState(false);
  const [title, setTitle] = useState('');
  const [purpose, setPurpose] = useState('');

  const refresh = useCallback(() => {
    call('airlock.list', {})
      .then(setRequests)
      .catch((reason: unknown) => setError(reason));
  }, []);

  useEffect(() => {
    call('policy.identity', {})
      .then((value) => {
        setIdentity(value);
        if (!value.roles.includes('analyst')) setTab('queue');
      })
      .catch((reason: unknown) => setError(reason));
    refresh();
  }, [refresh]);

  const open = (id: string) => {
    setError(null);
    setVerifiedFiles(null);
    call('airlock.get', { requestId: id })
      .then(setSelected)
      .catch((reason: unknown) => setError(reason));
  };

  /** Run one action, show its result and refresh the list; failures leave the request as it was. */
  const run = (action: () => Promise<RequestView>) => {
    setBusy(true);
    setError(null);
    action()
      .then((view) => {
        setSelected(view);
        refresh();
      })
      .catch((reason: unknown) => setError(reason))
      .finally(() => setBusy(false));
  };

  if (!identity)
    return (
      <Box>
        {error !== null && <ErrorAlert error={error} />}
        <Typography>{t('app.loading')}</Typography>
      </Box>
    );

  const reviews = identity.roles.includes('reviewer') || identity.roles.includes('admin');
  const analyst = identity.roles.includes('analyst');
  const mine = requests.filter((request) => request.author === identity.user);
  const queue = requests.filter(
    (request) =>
      request.author !== identity.user && (request.problem || QUEUE_STATES.has(request.state)),
  );
  const shown = tab === 'mine' ? mine : queue;
  const requestId = selected?.id ?? '';

  const actions: RequestActions = {
    update: (text) => run(() => call('airlock.update', { requestId, purpose: text })),
    act: (action) => {
      if (action === 'release')
        run(async () => {
          const released = await call('airlock.release', { requestId });
          setVerifiedFiles(released.verification.ok ? released.verification.files : null);
          return released;
        });
      else if (action === 'submit') run(() => call('airlock.submit', { requestId }));
      else if (action === 'withdraw') run(() => call('airlock.withdraw', { requestId }));
      else run(() => call('airlock.approve', { requestId }));
    },
    decide: (action, comment) =>
      run(() =>
        call(action === 'return' ? 'airlock.return' : 'airlock.reject', { requestId, comment }),
      ),
    comment: (text, reviewersOnly) =>
      run(() =>
        call('airlock.comment', {
          requestId,
          text,
          visibility: reviewersOnly ? 'reviewers' : 'all',
        }),
      ),
    setContext: (fileId, context, controls, group) =>
      run(() => call('airlock.setContext', { requestId, fileId, context, controls, group })),
    remove: (fileId) => run(() => call('airlock.removeFile', { requestId, fileId })),
    vote: (fileId, decision) => run(() => call('airlock.vote', { requestId, fileId, decision })),
  };

  const create = () => {
    setCreating(false);
    run(() => call('airlock.create', { title, purpose }));
    setTitle('');
    setPurpose('');
  };

  return (
    <Stack spacing={2}>
      <Typography variant="h4" component="h1">
        {t('exports.title')}
      </Typography>
      <Typography>{t('exports.intro')}</Typography>
      <Typography variant="body2" color="text.secondary" data-testid="identity">
        {t('exports.identity', {
          user: identity.user,
          roles:
            new Intl.ListFormat(locale).format(identity.roles.map((role) => t(roleKeys[role]))) ||
            t('exports.role.none'),
        })}
      </Typography>
      {error !== null && <ErrorAlert error={error} />}
      {!analyst && !reviews && (
        <Alert severity="info" data-testid="no-role">
          {t('exports.noRole', { user: identity.user })}
        </Alert>
      )}

      <Box
        hidden={!analyst && !reviews}
        sx={{
          display: 'flex',
          gap: 2,
          alignItems: 'flex-start',
          flexWrap: { xs: 'wrap', lg: 'nowrap' },
        }}
      >
        <Paper variant="outlined" sx={{ width: { xs: '100%', lg: 340 }, flexShrink: 0 }}>
          <Stack direction="row" sx={{ alignItems: 'center', px: 1 }}>
            <Tabs
              value={tab}
              onChange={(_, value) => setTab(value)}
              aria-label={t('exports.tabs')}
              sx={{ flexGrow: 1 }}
            >
              {analyst && <Tab value="mine" label={t('exports.tab.mine')} />}
              {reviews && <Tab value="queue" label={t('exports.tab.queue')} />}
            </Tabs>
            <IconButton aria-label={t('exports.refresh')} onClick={refresh}>
              <RefreshIcon />
            </IconButton>
          </Stack>
          {analyst && tab === 'mine' && (
            <Box sx={{ px: 2, pb: 1 }}>
              <Button startIcon={<AddIcon />} onClick={() => setCreating(true)} disabled={busy}>
                {t('exports.new')}
              </Button>
            </Box>
          )}
          <List aria-label={t('exports.list')} dense>
            {shown.map((request) => (
              <ListItemButton
                key={request.id}
                selected={request.id === selected?.id}
                onClick={() => open(request.id)}
                disabled={!!request.problem}
              >
                <ListItemText
                  primary={
                    request.problem
                      ? request.id
                      : `${request.title} — ${t(stateKeys[request.state])}`
                  }
                  secondary={
                    request.problem
                      ? t('exports.unreadable', { id: request.id, problem: request.problem })
                      : t('exports.summary', {
                          author: request.author,
                          turn: request.turn,
                          files: request.files,
                        })
                  }
                />
              </ListItemButton>
            ))}
          </List>
          {shown.length === 0 && (
            <Typography sx={{ p: 2 }} color="text.secondary">
              {tab === 'mine' ? t('exports.empty') : t('exports.queueEmpty')}
            </Typography>
          )}
        </Paper>

        <Box sx={{ flexGrow: 1, minWidth: 0 }}>
          {selected ? (
            <RequestDetail
              key={selected.id}
              request={selected}
              identity={identity}
              busy={busy}
              verifiedFiles={verifiedFiles}
              actions={actions}
            />
          ) : (
            <Typography color="text.secondary">{t('exports.select')}</Typography>
          )}
        </Box>
      </Box>

      <Dialog
        open={creating}
        onClose={() => setCreating(false)}
        aria-labelledby="create-title"
        fullWidth
      >
        <DialogTitle id="create-title">{t('exports.create.title')}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ mt: 1 }}>
            <TextField
              autoFocus
              label={t('exports.field.title')}
              value={title}
              onChange={(e) => setTitle(e.target.value)}
            />
            <TextField
              label={t('exports.field.purpose')}
              helperText={t('exports.field.purposeHelp')}
              value={purpose}
              onChange={(e) => setPurpose(e.target.value)}
              multiline
              minRows={2}
            />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setCreating(false)}>{t('exports.cancel')}</Button>
          <Button disabled={!title.trim()} onClick={create}>
            {t('exports.create.confirm')}
          </Button>
        </DialogActions>
      </Dialog>
    </Stack>
  );
}
