/**
 * The cohort builder: entry, demographics, rule cards and exit on the left;
 * live attrition and characterization on the right; saved cohorts below.
 */
import AddIcon from '@mui/icons-material/Add';
import SaveIcon from '@mui/icons-material/Save';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CohortDefinition } from '../../../../shared/cohort-definition';
import type { CohortSummary } from '../../../../shared/cohorts';
import { call } from '../../api';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n/context';
import { AtlasImportDialog } from './AtlasImportDialog';
import { AttritionView } from './AttritionView';
import { CharacterizationView } from './CharacterizationView';
import { move, newDefinition, newRule, replaceAt } from './draft';
import { EntryEditor } from './EntryEditor';
import { RuleCard } from './RuleCard';
import { SavedCohortDetails } from './SavedCohortDetails';
import { SavedCohorts } from './SavedCohorts';
import { useLivePreview } from './useLivePreview';

export function CohortsPage() {
  const t = useT();
  const [definition, setDefinition] = useState<CohortDefinition>(newDefinition);
  // Bumped when a saved definition is opened, so uncontrolled number fields remount with it.
  const [draftId, setDraftId] = useState(0);
  // A React key per rule card that moves with the rule, so a card's typed
  // field text stays with its rule when rules are reordered or removed.
  const nextKey = useRef(0);
  const [ruleKeys, setRuleKeys] = useState<number[]>([]);
  const freshKeys = (count: number) => Array.from({ length: count }, () => nextKey.current++);
  const [vocabularies, setVocabularies] = useState<string[]>([]);
  const [cohorts, setCohorts] = useState<CohortSummary[]>([]);
  const [saved, setSaved] = useState<CohortSummary | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [atlasOpen, setAtlasOpen] = useState(false);
  const [openedId, setOpenedId] = useState<number | null>(null);
  const live = useLivePreview(definition);

  const refresh = useCallback(() => {
    call('cohorts.list', {})
      .then(setCohorts)
      .catch((error: unknown) => setActionError(error));
  }, []);

  useEffect(() => {
    refresh();
    call('codes.vocabularies', {})
      .then(setVocabularies)
      .catch((error: unknown) => setActionError(error));
  }, [refresh]);

  const save = () => {
    setSaving(true);
    setActionError(null);
    call('cohorts.generate', { definition })
      .then((cohort) => {
        setSaved(cohort);
        refresh();
      })
      .catch((error: unknown) => setActionError(error))
      .finally(() => setSaving(false));
  };

  const load = (next: CohortDefinition) => {
    setDefinition(next);
    setRuleKeys(freshKeys(next.rules.length));
    setDraftId((id) => id + 1);
    setSaved(null);
  };
  const open = (cohort: CohortSummary) => {
    if (cohort.definition) load(cohort.definition);
    setOpenedId(cohort.id);
  };

  const rules = definition.rules;
  const setRules = (next: CohortDefinition['rules'], keys: number[]) => {
    setDefinition({ ...definition, rules: next });
    setRuleKeys(keys);
  };

  return (
    <Stack spacing={3}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
        <Typography variant="h5" component="h1" sx={{ flexGrow: 1 }}>
          {t('cohorts.title')}
        </Typography>
        <TextField
          size="small"
          label={t('cohorts.name')}
          value={definition.name}
          onChange={(event) => setDefinition({ ...definition, name: event.target.value })}
          sx={{ width: 360 }}
        />
        <Button startIcon={<UploadFileIcon />} onClick={() => setAtlasOpen(true)}>
          {t('cohorts.atlas.button')}
        </Button>
        <Button
          variant="contained"
          startIcon={<SaveIcon />}
          disabled={saving || !definition.name.trim() || live.invalidField !== null}
          onClick={save}
        >
          {t('cohorts.save')}
        </Button>
      </Stack>

      <AtlasImportDialog
        open={atlasOpen}
        onClose={() => setAtlasOpen(false)}
        onImported={(imported) => {
          load(imported);
          setAtlasOpen(false);
        }}
      />
      {saved && (
        <Alert severity="success" onClose={() => setSaved(null)}>
          {t('cohorts.saved.done', { name: saved.name, version: saved.version })}
        </Alert>
      )}
      {actionError !== null && <ErrorAlert error={actionError} />}

      <Box sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 3fr) minmax(0, 2fr)', gap: 3 }}>
        <Stack spacing={2} key={draftId}>
          <Paper variant="outlined" sx={{ p: 2 }}>
            <EntryEditor
              definition={definition}
              vocabularies={vocabularies}
              onChange={setDefinition}
            />
          </Paper>
          <Typography variant="subtitle1" component="h2">
            {t('cohorts.rules.title')}
          </Typography>
          {rules.map((rule, i) => (
            <RuleCard
              key={ruleKeys[i] ?? -1 - i}
              rule={rule}
              position={i}
              count={rules.length}
              vocabularies={vocabularies}
              onChange={(next) => setRules(replaceAt(rules, i, next), ruleKeys)}
              onMove={(offset) => setRules(move(rules, i, offset), move(ruleKeys, i, offset))}
              onRemove={() =>
                setRules(
                  rules.filter((_, n) => n !== i),
                  ruleKeys.filter((_, n) => n !== i),
                )
              }
            />
          ))}
          <Button
            startIcon={<AddIcon />}
            onClick={() =>
              setRules(
                [...rules, newRule(t('cohorts.rules.defaultName', { n: rules.length + 1 }))],
                [...ruleKeys, ...freshKeys(1)],
              )
            }
            sx={{ alignSelf: 'flex-start' }}
          >
            {t('cohorts.rules.add')}
          </Button>
        </Stack>

        <Stack spacing={2}>
          <Paper
            variant="outlined"
            sx={{ p: 2 }}
            role="region"
            aria-label={t('cohorts.live.title')}
          >
            <Typography variant="subtitle1" component="h2" gutterBottom>
              {t('cohorts.live.title')}
            </Typography>
            <Box sx={{ height: 4, mb: 1 }}>
              {live.pending && <LinearProgress aria-label={t('cohorts.live.counting')} />}
            </Box>
            {live.invalidField !== null && (
              <Typography color="text.secondary" data-testid="preview-hint">
                {t('cohorts.live.incomplete', { field: live.invalidField })}
              </Typography>
            )}
            {live.error !== null && <ErrorAlert error={live.error} />}
            {live.preview && live.invalidField === null && (
              <AttritionView steps={live.preview.attrition} threshold={live.preview.threshold} />
            )}
          </Paper>
          {live.preview && live.invalidField === null && (
            <Paper
              variant="outlined"
              sx={{ p: 2 }}
              role="region"
              aria-label={t('cohorts.characterization.title')}
            >
              <Typography variant="subtitle1" component="h2" gutterBottom>
                {t('cohorts.characterization.title')}
              </Typography>
              <CharacterizationView value={live.preview.characterization} />
            </Paper>
          )}
        </Stack>
      </Box>

      <Paper variant="outlined" sx={{ p: 2 }} role="region" aria-label={t('cohorts.saved.title')}>
        <Typography variant="subtitle1" component="h2" gutterBottom>
          {t('cohorts.saved.title')}
        </Typography>
        <SavedCohorts cohorts={cohorts} onOpen={open} />
        {openedId !== null && <SavedCohortDetails cohortId={openedId} />}
      </Paper>
    </Stack>
  );
}
