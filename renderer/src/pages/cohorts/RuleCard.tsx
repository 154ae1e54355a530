/** One inclusion rule: name, on/off switch, order buttons, group type and its event criteria. */
import ArrowDownwardIcon from '@mui/icons-material/ArrowDownward';
import ArrowUpwardIcon from '@mui/icons-material/ArrowUpward';
import DeleteIcon from '@mui/icons-material/Delete';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Divider from '@mui/material/Divider';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import type {
  Criterion,
  EventCriterion,
  GroupType,
  InclusionRule,
} from '../../../../shared/cohort-definition';
import { useT } from '../../i18n/context';
import { ConceptSetEditor } from './ConceptSetEditor';
import { newCriterion, replaceAt } from './draft';
import { NumberField } from './NumberField';

const groupTypes: GroupType[] = ['ALL', 'ANY', 'AT_LEAST', 'AT_MOST'];
const occurrenceTypes = ['at_least', 'at_most', 'exactly'] as const;

interface RuleCardProps {
  rule: InclusionRule;
  position: number;
  count: number;
  vocabularies: string[];
  onChange(rule: InclusionRule): void;
  onMove(offset: -1 | 1): void;
  onRemove(): void;
}

export function RuleCard(props: RuleCardProps) {
  const t = useT();
  const { rule, position } = props;
  const group = rule.group;
  const setGroup = (change: Partial<InclusionRule['group']>) =>
    props.onChange({ ...rule, group: { ...group, ...change } });
  const setItem = (index: number, item: Criterion) =>
    setGroup({ items: replaceAt(group.items, index, item) });

  return (
    <Card
      variant="outlined"
      role="region"
      aria-label={t('cohorts.rule.label', { position: position + 1 })}
      sx={{ opacity: rule.enabled ? 1 : 0.6 }}
    >
      <CardContent>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <TextField
            size="small"
            label={t('cohorts.rule.name')}
            value={rule.name}
            onChange={(event) => props.onChange({ ...rule, name: event.target.value })}
            sx={{ flexGrow: 1 }}
          />
          <FormControlLabel
            control={
              <Switch
                checked={rule.enabled}
                onChange={(event) => props.onChange({ ...rule, enabled: event.target.checked })}
              />
            }
            label={t('cohorts.rule.enabled')}
          />
          <IconButton
            aria-label={t('cohorts.rule.moveUp')}
            disabled={position === 0}
            onClick={() => props.onMove(-1)}
          >
            <ArrowUpwardIcon />
          </IconButton>
          <IconButton
            aria-label={t('cohorts.rule.moveDown')}
            disabled={position === props.count - 1}
            onClick={() => props.onMove(1)}
          >
            <ArrowDownwardIcon />
          </IconButton>
          <IconButton aria-label={t('cohorts.rule.remove')} onClick={props.onRemove}>
            <DeleteIcon />
          </IconButton>
        </Stack>

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

        {group.items.map((item, index) =>
          item.kind === 'event' ? (
            <EventCriterionEditor
              key={index}
              criterion={item}
              index={index}
              vocabularies={props.vocabularies}
              onChange={(criterion) => setItem(index, criterion)}
              onRemove={
                group.items.length > 1
                  ? () => setGroup({ items: group.items.filter((_, i) => i !== index) })
                  : undefined
              }
            />
          ) : (
            // NOTE: nested groups and demographic criteria (from ATLAS imports) are
            // evaluated but not yet editable here; they keep their place in the rule.
            <Divider key={index} sx={{ my: 2 }}>
              {t('cohorts.rule.notEditable')}
            </Divider>
          ),
        )}
        <Button
          size="small"
          onClick={() => setGroup({ items: [...group.items, newCriterion()] })}
          sx={{ mt: 1 }}
        >
          {t('cohorts.rule.addCriterion')}
        </Button>
      </CardContent>
    </Card>
  );
}

interface EventCriterionEditorProps {
  criterion: EventCriterion;
  index: number;
  vocabularies: string[];
  onChange(criterion: EventCriterion): void;
  onRemove?: () => void;
}

function EventCriterionEditor({ criterion, index, ...props }: EventCriterionEditorProps) {
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
