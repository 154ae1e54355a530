/**
 * A group of criteria (ALL, ANY, AT_LEAST n, AT_MOST n) whose items are event
 * criteria, age or sex criteria, or further groups, edited recursively.
 */
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { CriteriaGroup, Criterion, GroupType } from '../../../../shared/cohort-definition';
import { useT } from '../../i18n/context';
import { EventCriterionEditor } from './CriterionEditor';
import { DemographicsFields } from './DemographicsFields';
import { newCriterion, replaceAt } from './draft';
import { NumberField } from './NumberField';

const groupTypes: GroupType[] = ['ALL', 'ANY', 'AT_LEAST', 'AT_MOST'];

/** Groups nest at most this deep in the editor; deeper ones from ATLAS imports still edit. */
const MAX_NEW_DEPTH = 3;

interface GroupEditorProps {
  group: CriteriaGroup;
  depth: number;
  vocabularies: string[];
  onChange(group: CriteriaGroup): void;
}

export function GroupEditor({ group, depth, vocabularies, onChange }: GroupEditorProps) {
  const t = useT();
  const setGroup = (change: Partial<CriteriaGroup>) => onChange({ ...group, ...change });
  const setItem = (index: number, item: Criterion) =>
    setGroup({ items: replaceAt(group.items, index, item) });
  // A group keeps at least one item, as the schema requires.
  const remove = (index: number) =>
    group.items.length > 1
      ? () => setGroup({ items: group.items.filter((_, i) => i !== index) })
      : undefined;

  return (
    <Box>
      <Stack direction="row" spacing={1} sx={{ mt: 2 }}>
        <TextField
          select
          size="small"
          label={t('cohorts.rule.groupType')}
          value={group.type}
          onChange={(event) => {
            const type = event.target.value as GroupType;
            setGroup({ type, count: type.startsWith('AT_') ? (group.count ?? 1) : undefined });
          }}
          sx={{ minWidth: 200 }}
        >
          {groupTypes.map((type) => (
            <MenuItem key={type} value={type}>
              {t(`cohorts.group.${type}`)}
            </MenuItem>
          ))}
        </TextField>
        {group.type.startsWith('AT_') && (
          <NumberField
            label={t('cohorts.rule.groupCount')}
            value={group.count ?? 0}
            onChange={(count) => setGroup({ count })}
          />
        )}
      </Stack>

      {group.items.map((item, index) => {
        const onRemove = remove(index);
        if (item.kind === 'event')
          return (
            <EventCriterionEditor
              key={index}
              criterion={item}
              index={index}
              vocabularies={vocabularies}
              onChange={(criterion) => setItem(index, criterion)}
              onRemove={onRemove}
            />
          );
        if (item.kind === 'demographic')
          return (
            <Stack
              key={index}
              role="group"
              aria-label={t('cohorts.demographic.label', { position: index + 1 })}
              spacing={1}
              sx={{ mt: 2, pl: 2, borderLeft: 3, borderColor: 'divider' }}
            >
              <Typography variant="body2">
                {t('cohorts.demographic.label', { position: index + 1 })}
              </Typography>
              <DemographicsFields
                value={item.demographics}
                onChange={(change) =>
                  setItem(index, { ...item, demographics: { ...item.demographics, ...change } })
                }
              />
              {onRemove && (
                <Button
                  size="small"
                  color="warning"
                  onClick={onRemove}
                  sx={{ alignSelf: 'flex-start' }}
                >
                  {t('cohorts.criterion.remove')}
                </Button>
              )}
            </Stack>
          );
        return (
          <Box
            key={index}
            role="group"
            aria-label={t('cohorts.group.label', { position: index + 1 })}
            sx={{ mt: 2, p: 1.5, border: 1, borderColor: 'divider', borderRadius: 1 }}
          >
            <Typography variant="body2">
              {t('cohorts.group.label', { position: index + 1 })}
            </Typography>
            <GroupEditor
              group={item}
              depth={depth + 1}
              vocabularies={vocabularies}
              onChange={(changed) => setItem(index, changed)}
            />
            {onRemove && (
              <Button size="small" color="warning" onClick={onRemove} sx={{ mt: 1 }}>
                {t('cohorts.group.remove')}
              </Button>
            )}
          </Box>
        );
      })}

      <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
        <Button size="small" onClick={() => setGroup({ items: [...group.items, newCriterion()] })}>
          {t('cohorts.rule.addCriterion')}
        </Button>
        <Button
          size="small"
          onClick={() =>
            setGroup({ items: [...group.items, { kind: 'demographic', demographics: {} }] })
          }
        >
          {t('cohorts.rule.addDemographic')}
        </Button>
        {depth < MAX_NEW_DEPTH && (
          <Button
            size="small"
            onClick={() =>
              setGroup({
                items: [...group.items, { kind: 'group', type: 'ANY', items: [newCriterion()] }],
              })
            }
          >
            {t('cohorts.rule.addGroup')}
          </Button>
        )}
      </Stack>
    </Box>
  );
}
