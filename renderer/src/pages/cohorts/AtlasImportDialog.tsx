/** Pastes an ATLAS cohort expression, shows what did not translate and opens the result in the builder. */
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useState } from 'react';
import type { AtlasImportResult } from '../../../../shared/atlas';
import type { CohortDefinition } from '../../../../shared/cohort-definition';
import { call } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n/context';

interface AtlasImportDialogProps {
  open: boolean;
  onClose(): void;
  onImported(definition: CohortDefinition): void;
}

export function AtlasImportDialog({ open, onClose, onImported }: AtlasImportDialogProps) {
  const t = useT();
  const [name, setName] = useState('');
  const [json, setJson] = useState('');
  const [result, setResult] = useState<AtlasImportResult | null>(null);
  const [error, setError] = useState<unknown>(null);

  const translate = () => {
    setError(null);
    call('cohorts.importAtlas', { json, name: name.trim() || t('cohorts.atlas.defaultName') })
      .then(setResult)
      .catch((failure: unknown) => setError(failure));
  };

  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="md">
      <DialogTitle>{t('cohorts.atlas.title')}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          <TextField
            size="small"
            label={t('cohorts.name')}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
          <TextField
            multiline
            minRows={8}
            maxRows={16}
            label={t('cohorts.atlas.json')}
            value={json}
            onChange={(event) => {
              setJson(event.target.value);
              setResult(null);
            }}
            slotProps={{ htmlInput: { spellCheck: false, style: { fontFamily: 'monospace' } } }}
          />
          {error !== null && <ErrorAlert error={error} />}
          {result && result.untranslated.length === 0 && (
            <Alert severity="success">{t('cohorts.atlas.complete')}</Alert>
          )}
          {result && result.untranslated.length > 0 && (
            <Alert severity="warning">
              {t('cohorts.atlas.untranslated', { count: result.untranslated.length })}
              <List dense aria-label={t('cohorts.atlas.untranslatedList')}>
                {result.untranslated.map((element) => (
                  <ListItem key={element.path} disableGutters>
                    <ListItemText primary={element.path} secondary={element.reason} />
                  </ListItem>
                ))}
              </List>
            </Alert>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('cohorts.atlas.cancel')}</Button>
        <Button disabled={!json.trim()} onClick={translate}>
          {t('cohorts.atlas.translate')}
        </Button>
        <Button
          variant="contained"
          disabled={!result}
          onClick={() => {
            if (result) onImported(result.definition);
            setResult(null);
            setJson('');
          }}
        >
          {t('cohorts.atlas.open')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
