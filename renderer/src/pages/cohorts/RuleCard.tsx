/** One inclusion rule: name, on/off switch, order buttons and its group of criteria. */
import ArrowDownwardIcon from '@mui/icons-material/ArrowDownward';
import ArrowUpwardIcon from '@mui/icons-material/ArrowUpward';
import DeleteIcon from '@mui/icons-material/Delete';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import type { InclusionRule } from '../../../../shared/cohort-definition';
import { useT } from '../../i18n/context';
import { GroupEditor } from './GroupEditor';

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

        <GroupEditor
          group={group}
          depth={0}
          vocabularies={props.vocabularies}
          onChange={(changed) => props.onChange({ ...rule, group: changed })}
        />
      </CardContent>
    </Card>
  );
}
