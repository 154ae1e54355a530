/** One event criterion of a group: concept set, occurrence count and window relative to index. */
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import type { EventCriterion } from '../../../../shared/cohort-definition';
import { useT } from '../../i18n/context';
import { ConceptSetEditor } from './ConceptSetEditor';
import { NumberField } from './NumberField';

const occurrenceTypes = ['at_least', 'at_most', 'exactly'] as const;

export interface EventCriterionEditorProps {
  criterion: EventCriterion;
  index: number;
  vocabularies: string[];
  onChange(criterion: EventCriterion): void;
  onRemove?: () => void;
}

export function EventCriterionEditor({ criterion, index, ...props }: EventCriterionEditorProps) {
  const t = useT();
  const { window, occurrence } = criterion;
  const setWindow = (change: Partial<typeof window>) =>
    props.onChange({ ...criterion, window: { ...window, ...change } });
  const setOccurrence = (change: Partial<typeof occurrence>) =>
    props.onChange({ ...criterion, occurrence: { ...occurrence, ...change } });

  return (
    <Stack spacing={1.5} sx={{ mt: 2, pl: 2, borderLeft: 3, borderColor: 'divider' }}>
      <ConceptSetEditor
        label={t('cohorts.criterion.concepts', { position: index + 1 })}
        value={criterion.conceptSet}
        vocabularies={props.vocabularies}
        onChange={(conceptSet) => props.onChange({ ...criterion, conceptSet })}
      />
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', gap: 1 }}>
        <TextField
          select
          size="small"
          label={t('cohorts.criterion.occurrence')}
          value={occurrence.type}
          onChange={(event) =>
            setOccurrence({ type: event.target.value as (typeof occurrenceTypes)[number] })
          }
          sx={{ minWidth: 130 }}
        >
          {occurrenceTypes.map((type) => (
            <MenuItem key={type} value={type}>
              {t(`cohorts.occurrence.${type}`)}
            </MenuItem>
          ))}
        </TextField>
        <NumberField
          label={t('cohorts.criterion.count')}
          value={occurrence.count}
          onChange={(count) => setOccurrence({ count })}
        />
        <NumberField
          label={t('cohorts.criterion.startDays')}
          value={window.startDays}
          onChange={(startDays) => setWindow({ startDays })}
        />
        <NumberField
          label={t('cohorts.criterion.endDays')}
          value={window.endDays}
          onChange={(endDays) => setWindow({ endDays })}
        />
        <FormControlLabel
          control={
            <Switch
              checked={occurrence.distinctDates}
              onChange={(event) => setOccurrence({ distinctDates: event.target.checked })}
            />
          }
          label={t('cohorts.criterion.distinctDates')}
        />
        {props.onRemove && (
          <Button size="small" color="warning" onClick={props.onRemove}>
            {t('cohorts.criterion.remove')}
          </Button>
        )}
      </Stack>
    </Stack>
  );
}
