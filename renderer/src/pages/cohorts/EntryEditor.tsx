/** The index (entry event or calendar date), demographics and exit of a definition. */
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { CohortDefinition, Demographics } from '../../../../shared/cohort-definition';
import { useT } from '../../i18n/context';
import { DemographicsFields } from './DemographicsFields';
import { ConceptSetEditor } from './ConceptSetEditor';
import { emptyConceptSet } from './draft';
import { NumberField } from './NumberField';

interface EntryEditorProps {
  definition: CohortDefinition;
  vocabularies: string[];
  onChange(definition: CohortDefinition): void;
}

export function EntryEditor({ definition, vocabularies, onChange }: EntryEditorProps) {
  const t = useT();
  const { index, demographics, exit } = definition;
  const setDemographics = (change: Partial<Demographics>) =>
    onChange({ ...definition, demographics: { ...demographics, ...change } });

  return (
    <Stack spacing={2}>
      <Typography variant="subtitle1" component="h3">
        {t('cohorts.index.title')}
      </Typography>
      <TextField
        select
        size="small"
        label={t('cohorts.index.kind')}
        value={index.kind}
        onChange={(event) =>
          onChange({
            ...definition,
            index:
              event.target.value === 'date'
                ? { kind: 'date', date: '2020-01-01' }
                : {
                    kind: 'event',
                    conceptSet: emptyConceptSet(),
                    occurrence: 'first',
                    priorObservationDays: 0,
                    postObservationDays: 0,
                  },
          })
        }
        sx={{ maxWidth: 320 }}
      >
        <MenuItem value="event">{t('cohorts.index.event')}</MenuItem>
        <MenuItem value="date">{t('cohorts.index.date')}</MenuItem>
      </TextField>

      {index.kind === 'event' ? (
        <>
          <ConceptSetEditor
            label={t('cohorts.index.concepts')}
            value={index.conceptSet}
            vocabularies={vocabularies}
            onChange={(conceptSet) => onChange({ ...definition, index: { ...index, conceptSet } })}
          />
          <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', gap: 1 }}>
            <TextField
              select
              size="small"
              label={t('cohorts.index.occurrence')}
              value={index.occurrence}
              onChange={(event) =>
                onChange({
                  ...definition,
                  index: { ...index, occurrence: event.target.value as 'first' | 'all' },
                })
              }
              sx={{ minWidth: 180 }}
            >
              <MenuItem value="first">{t('cohorts.index.first')}</MenuItem>
              <MenuItem value="all">{t('cohorts.index.all')}</MenuItem>
            </TextField>
            <NumberField
              label={t('cohorts.index.priorDays')}
              value={index.priorObservationDays}
              onChange={(days) =>
                onChange({ ...definition, index: { ...index, priorObservationDays: days } })
              }
            />
            <NumberField
              label={t('cohorts.index.postDays')}
              value={index.postObservationDays}
              onChange={(days) =>
                onChange({ ...definition, index: { ...index, postObservationDays: days } })
              }
            />
          </Stack>
        </>
      ) : (
        <TextField
          size="small"
          type="date"
          label={t('cohorts.index.onDate')}
          value={index.date}
          onChange={(event) =>
            onChange({ ...definition, index: { kind: 'date', date: event.target.value } })
          }
          slotProps={{ inputLabel: { shrink: true } }}
          sx={{ maxWidth: 220 }}
        />
      )}

      <Typography variant="subtitle1" component="h3">
        {t('cohorts.demographics.title')}
      </Typography>
      <DemographicsFields value={demographics} onChange={setDemographics} />

      <Typography variant="subtitle1" component="h3">
        {t('cohorts.exit.title')}
      </Typography>
      <Stack direction="row" spacing={1}>
        <TextField
          select
          size="small"
          label={t('cohorts.exit.kind')}
          value={exit.kind}
          onChange={(event) => {
            const kind = event.target.value;
            onChange({
              ...definition,
              exit:
                kind === 'fixed_days'
                  ? { kind: 'fixed_days', days: 365 }
                  : kind === 'event'
                    ? { kind: 'event', conceptSet: emptyConceptSet() }
                    : { kind: 'end_of_observation' },
            });
          }}
          sx={{ minWidth: 220 }}
        >
          <MenuItem value="end_of_observation">{t('cohorts.exit.endOfObservation')}</MenuItem>
          <MenuItem value="fixed_days">{t('cohorts.exit.fixedDays')}</MenuItem>
          <MenuItem value="event">{t('cohorts.exit.event')}</MenuItem>
        </TextField>
        {exit.kind === 'fixed_days' && (
          <NumberField
            label={t('cohorts.exit.days')}
            value={exit.days}
            onChange={(days) => onChange({ ...definition, exit: { kind: 'fixed_days', days } })}
          />
        )}
      </Stack>
      {exit.kind === 'event' && (
        <ConceptSetEditor
          label={t('cohorts.exit.concepts')}
          value={exit.conceptSet}
          vocabularies={vocabularies}
          onChange={(conceptSet) =>
            onChange({ ...definition, exit: { kind: 'event', conceptSet } })
          }
        />
      )}
    </Stack>
  );
}
