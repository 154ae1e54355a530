/** One request: purpose, actions the user may take, files with checks, changes, comments and history. */
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { Identity, RequestAction, RequestView } from '../../../../shared/airlock';
import { useFormat, useLocale, useT } from '../../i18n/context';
import { FileCard, type FileActions } from './FileCard';
import { changeKeys, eventKeys, requestActionKeys, stateKeys } from './labels';

export interface RequestActions extends FileActions {
  update(purpose: string): void;
  act(action: 'submit' | 'withdraw' | 'approve' | 'release'): void;
  decide(action: 'return' | 'reject', comment: string): void;
  comment(text: string, reviewersOnly: boolean): void;
}

export function RequestDetail({
  request,
  identity,
  busy,
  verifiedFiles,
  actions,
}: {
  request: RequestView;
  identity: Identity;
  busy: boolean;
  /** Files the release bundle verified, after a release in this session. */
  verifiedFiles: number | null;
  actions: RequestActions;
}) {
  const t = useT();
  const format = useFormat();
  const locale = useLocale();
  const eventLabel = (type: string) => (type in eventKeys ? t(eventKeys[type]!) : type);
  const [purpose, setPurpose] = useState(request.purpose);
  const [deciding, setDeciding] = useState<'return' | 'reject' | null>(null);
  const [reason, setReason] = useState('');
  const [comment, setComment] = useState('');
  const [reviewersOnly, setReviewersOnly] = useState(false);

  const editable = request.allowed.includes('edit');
  const buttons = (Object.keys(requestActionKeys) as RequestAction[]).filter((action) =>
    request.allowed.includes(action),
  );
  const isReviewer = request.actor === 'reviewer' || request.actor === 'admin';

  return (
    <Stack spacing={2} data-testid="request-detail">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography variant="h5" component="h2">
          {request.title}
        </Typography>
        <Chip label={t(stateKeys[request.state])} color="primary" data-testid="request-state" />
        <Typography variant="body2" color="text.secondary">
          {t('exports.author', { author: request.author })} ·{' '}
          {t('exports.turn', { turn: request.turn })} · {request.id}
        </Typography>
      </Stack>

      {editable ? (
        <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
          <TextField
            label={t('exports.field.purpose')}
            helperText={t('exports.field.purposeHelp')}
            value={purpose}
            onChange={(event) => setPurpose(event.target.value)}
            multiline
            fullWidth
          />
          <Button
            disabled={busy || purpose === request.purpose}
            onClick={() => actions.update(purpose)}
          >
            {t('exports.save')}
          </Button>
        </Stack>
      ) : (
        <Typography>
          <strong>{t('exports.field.purpose')}:</strong> {request.purpose}
        </Typography>
      )}

      {buttons.length > 0 && (
        <Stack direction="row" spacing={1}>
          {buttons.map((action) => (
            <Button
              key={action}
              variant={action === 'reject' || action === 'withdraw' ? 'outlined' : 'contained'}
              color={action === 'reject' ? 'error' : 'primary'}
              disabled={busy}
              onClick={() =>
                action === 'return' || action === 'reject'
                  ? setDeciding(action)
                  : actions.act(action as 'submit' | 'withdraw' | 'approve' | 'release')
              }
            >
              {t(requestActionKeys[action]!)}
            </Button>
          ))}
        </Stack>
      )}

      {request.releasedBundle && (
        <Alert severity="success" data-testid="released">
          {t('exports.released', { path: request.releasedBundle })}
          {verifiedFiles !== null && <> {t('exports.verified', { count: verifiedFiles })}</>}
        </Alert>
      )}

      {request.changes.length > 0 && (
        <Paper
          variant="outlined"
          sx={{ p: 2 }}
          component="section"
          aria-label={t('exports.changes')}
        >
          <Typography variant="subtitle1" component="h3">
            {t('exports.changes')}
          </Typography>
          <List dense>
            {request.changes.map((change) => (
              <ListItem key={change.fileId} disableGutters>
                <ListItemText
                  primary={`${t(changeKeys[change.change])}: ${change.title}`}
                  secondary={change.cells
                    .map((cell) =>
                      t('exports.change.cell', {
                        row: cell.row + 1,
                        column: cell.column,
                        before: cell.before,
                        after: cell.after,
                      }),
                    )
                    .join('; ')}
                />
              </ListItem>
            ))}
          </List>
        </Paper>
      )}

      <Typography variant="h6" component="h3">
        {t('exports.files', { count: request.items.length })}
      </Typography>
      {request.items.length === 0 && (
        <Typography color="text.secondary">{t('exports.noFiles')}</Typography>
      )}
      {request.items.map((file) => (
        <FileCard
          key={`${file.id}:${request.turn}`}
          file={file}
          request={request}
          user={identity.user}
          threshold={identity.disclosureThreshold}
          busy={busy}
          actions={actions}
        />
      ))}

      <Paper
        variant="outlined"
        sx={{ p: 2 }}
        component="section"
        aria-label={t('exports.comments')}
      >
        <Typography variant="subtitle1" component="h3">
          {t('exports.comments')}
        </Typography>
        {request.comments.length === 0 && (
          <Typography color="text.secondary">{t('exports.noComments')}</Typography>
        )}
        <List dense>
          {request.comments.map((entry) => (
            <ListItem key={entry.id} disableGutters>
              <ListItemText
                primary={entry.text}
                secondary={`${entry.user} · ${format.dateTime(Date.parse(entry.time))}${
                  entry.visibility === 'reviewers' ? ` · ${t('exports.comment.privateTag')}` : ''
                }`}
              />
            </ListItem>
          ))}
        </List>
        {request.allowed.includes('comment') && (
          <Stack spacing={1}>
            <TextField
              label={t('exports.comment.text')}
              value={comment}
              onChange={(event) => setComment(event.target.value)}
              multiline
              size="small"
            />
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
              {isReviewer && (
                <FormControlLabel
                  control={
                    <Checkbox
                      checked={reviewersOnly}
                      onChange={(event) => setReviewersOnly(event.target.checked)}
                    />
                  }
                  label={t('exports.comment.private')}
                />
              )}
              <Button
                disabled={busy || !comment.trim()}
                onClick={() => {
                  actions.comment(comment, isReviewer && reviewersOnly);
                  setComment('');
                }}
              >
                {t('exports.comment.add')}
              </Button>
            </Stack>
          </Stack>
        )}
      </Paper>

      <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-label={t('exports.history')}>
        <Typography variant="subtitle1" component="h3">
          {t('exports.history')}
        </Typography>
        <List dense>
          {request.history.map((event) => (
            <ListItem key={event.seq} disableGutters>
              <ListItemText
                primary={`${event.user}: ${eventLabel(event.type)}`}
                secondary={`${format.dateTime(Date.parse(event.time))}${locale === 'en' ? ` · ${event.summary}` : ''}`}
              />
            </ListItem>
          ))}
        </List>
      </Paper>

      <Dialog
        open={deciding !== null}
        onClose={() => setDeciding(null)}
        aria-labelledby="decide-title"
      >
        <DialogTitle id="decide-title">{deciding && t(requestActionKeys[deciding]!)}</DialogTitle>
        <DialogContent>
          <TextField
            autoFocus
            label={t('exports.decide.reason')}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            multiline
            fullWidth
            sx={{ mt: 1 }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDeciding(null)}>{t('exports.cancel')}</Button>
          <Button
            disabled={!reason.trim()}
            onClick={() => {
              actions.decide(deciding!, reason);
              setDeciding(null);
              setReason('');
            }}
          >
            {t('exports.decide.confirm')}
          </Button>
        </DialogActions>
      </Dialog>
    </Stack>
  );
}
