/** Sex and age bounds at index: used for the definition's demographics and for demographic criteria in rules. */
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import type { Demographics } from '../../../../shared/cohort-definition';
import { useT } from '../../i18n/context';
import { NumberField } from './NumberField';

interface DemographicsFieldsProps {
  value: Demographics;
  onChange(change: Partial<Demographics>): void;
}

export function DemographicsFields({ value, onChange }: DemographicsFieldsProps) {
  const t = useT();
  return (
    <Stack direction="row" spacing={1}>
      <TextField
        select
        size="small"
        label={t('cohorts.demographics.sex')}
        value={value.sex?.join(',') ?? ''}
        onChange={(event) =>
          onChange({
            sex: event.target.value ? (event.target.value.split(',') as ('F' | 'M')[]) : undefined,
          })
        }
        sx={{ minWidth: 140 }}
      >
        <MenuItem value="">{t('cohorts.demographics.anySex')}</MenuItem>
        <MenuItem value="F">{t('cohorts.demographics.female')}</MenuItem>
        <MenuItem value="M">{t('cohorts.demographics.male')}</MenuItem>
      </TextField>
      <NumberField
        label={t('cohorts.demographics.ageMin')}
        value={value.ageMin}
        onChange={(ageMin) => onChange({ ageMin })}
        onClear={() => onChange({ ageMin: undefined })}
      />
      <NumberField
        label={t('cohorts.demographics.ageMax')}
        value={value.ageMax}
        onChange={(ageMax) => onChange({ ageMax })}
        onClear={() => onChange({ ageMax: undefined })}
      />
    </Stack>
  );
}
