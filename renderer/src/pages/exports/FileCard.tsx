/** One file of a request: its context, checks, original beside released version, votes and controls. */
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { ExportFile, RequestView } from '../../../../shared/airlock';
import { useT } from '../../i18n/context';
import { CheckList } from './CheckList';
import { TableCompare } from './TableCompare';

export interface FileActions {
  setContext(fileId: string, context: string, controls: string, group: string): void;
  remove(fileId: string): void;
  vote(fileId: string, decision: 'approve' | 'changes'): void;
}

export function FileCard({
  file,
  request,
  user,
  threshold,
  busy,
  actions,
}: {
  file: ExportFile;
  request: RequestView;
  user: string;
  threshold: number;
  busy: boolean;
  actions: FileActions;
}) {
  const t = useT();
  const [context, setContext] = useState(file.context);
  const [group, setGroup] = useState(file.group);
  const [controls, setControls] = useState(file.controls);
  const editable = request.allowed.includes('edit');
  const canVote =
    request.allowed.includes('vote') &&
    file.votes.length < 2 &&
    !file.votes.some((vote) => vote.user === user);
  const titleOf = (fileId: string) =>
    request.items.find((item) => item.id === fileId)?.title ?? fileId;
  const kindKey =
    file.kind === 'table'
      ? 'exports.file.kind.table'
      : file.kind === 'chart'
        ? 'exports.file.kind.chart'
        : 'exports.file.kind.custom';

  return (
    <Paper
      variant="outlined"
      sx={{ p: 2 }}
      component="section"
      aria-label={t('exports.file.region', { title: file.title })}
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography variant="h6" component="h3">
          {file.title}
        </Typography>
        <Chip size="small" label={t(kindKey)} color={file.kind === 'custom' ? 'info' : 'default'} />
        <Typography variant="body2" color="text.secondary">
          {file.name} · {t('exports.file.source', { source: file.source })}
        </Typography>
      </Stack>
      {file.sha256 && (
        <Typography variant="caption" color="text.secondary" sx={{ fontFamily: 'monospace' }}>
          {t('exports.file.sha', { hash: file.sha256 })}
        </Typography>
      )}

      {editable ? (
        <Stack spacing={1} sx={{ my: 1 }}>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
            <TextField
              label={t('exports.file.context')}
              helperText={t('exports.file.contextHelp')}
              value={context}
              onChange={(event) => setContext(event.target.value)}
              multiline
              fullWidth
              size="small"
            />
            <TextField
              label={t('exports.file.group')}
              helperText={t('exports.file.groupHelp')}
              value={group}
              onChange={(event) => setGroup(event.target.value)}
              size="small"
              sx={{ width: 200, flexShrink: 0 }}
            />
          </Stack>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
            <TextField
              label={t('exports.file.controls')}
              helperText={t('exports.file.controlsHelp')}
              value={controls}
              onChange={(event) => setControls(event.target.value)}
              multiline
              fullWidth
              size="small"
            />
            <Button
              disabled={
                busy ||
                (context === file.context && group === file.group && controls === file.controls)
              }
              onClick={() => actions.setContext(file.id, context, controls, group)}
            >
              {t('exports.file.saveContext')}
            </Button>
          </Stack>
        </Stack>
      ) : (
        <>
          {file.context && (
            <Typography variant="body2" sx={{ my: 1 }}>
              <strong>{t('exports.file.context')}:</strong> {file.context}
              {file.group && ` · ${t('exports.file.group')}: ${file.group}`}
            </Typography>
          )}
          {file.controls && (
            <Typography variant="body2" sx={{ my: 1 }}>
              <strong>{t('exports.file.controls')}:</strong> {file.controls}
            </Typography>
          )}
        </>
      )}
      {file.image && (
        <img
          src={`data:image/${file.image.format === 'svg' ? 'svg+xml' : 'png'};base64,${file.image.dataBase64}`}
          alt={t('exports.file.image', { title: file.title })}
          style={{ maxWidth: '100%', maxHeight: 360, display: 'block', margin: '8px 0' }}
        />
      )}

      <Typography variant="subtitle1" component="h4" sx={{ mt: 1 }}>
        {t('exports.checks')}
      </Typography>
      <CheckList checks={file.checks} titleOf={titleOf} />
      {file.original && file.safe && (
        <TableCompare
          title={file.title}
          original={file.original}
          safe={file.safe}
          checks={file.checks}
          threshold={threshold}
        />
      )}

      {request.turn > 0 && (
        <Typography variant="body2" sx={{ mt: 1 }} data-testid="votes">
          {t('exports.votes', { count: file.votes.length })}
          {file.votes.length > 0 && ' — '}
          {file.votes
            .map((vote) =>
              t('exports.vote.by', {
                user: vote.user,
                decision: t(
                  vote.decision === 'approve'
                    ? 'exports.decision.approve'
                    : 'exports.decision.changes',
                ),
              }),
            )
            .join(', ')}
        </Typography>
      )}
      <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
        {canVote && (
          <>
            <Button
              variant="contained"
              color="success"
              disabled={busy}
              onClick={() => actions.vote(file.id, 'approve')}
              aria-label={t('exports.vote.fileLabel', {
                action: t('exports.vote.approve'),
                title: file.title,
              })}
            >
              {t('exports.vote.approve')}
            </Button>
            <Button
              variant="outlined"
              color="warning"
              disabled={busy}
              onClick={() => actions.vote(file.id, 'changes')}
              aria-label={t('exports.vote.fileLabel', {
                action: t('exports.vote.changes'),
                title: file.title,
              })}
            >
              {t('exports.vote.changes')}
            </Button>
          </>
        )}
        {editable && (
          <Button color="error" disabled={busy} onClick={() => actions.remove(file.id)}>
            {t('exports.file.remove', { title: file.title })}
          </Button>
        )}
      </Stack>
    </Paper>
  );
}
