/** The disclosure check results of one file: rule, outcome, parameters and the cells affected. */
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Typography from '@mui/material/Typography';
import type { CheckResult } from '../../../../shared/airlock';
import { useLocale, useT } from '../../i18n/context';
import { outcomeColors, outcomeKeys, ruleKeys } from './labels';

export function CheckList({
  checks,
  titleOf,
}: {
  checks: CheckResult[];
  titleOf(fileId: string): string;
}) {
  const t = useT();
  const locale = useLocale();
  return (
    <List dense aria-label={t('exports.checks')}>
      {checks.map((check, index) => {
        const params = Object.entries(check.params)
          .filter(([key]) => key !== 'relatedFileId')
          .map(([key, value]) => `${key} = ${value ?? '–'}`)
          .join(', ');
        const details = [
          params,
          check.cells.length > 0 ? t('exports.check.cells', { count: check.cells.length }) : '',
          check.relatedFileId
            ? t('exports.check.related', { file: titleOf(check.relatedFileId) })
            : '',
        ]
          .filter(Boolean)
          .join(' · ');
        return (
          <ListItem
            key={index}
            disableGutters
            data-testid="check"
            data-rule={check.rule}
            data-outcome={check.outcome}
          >
            <Chip
              size="small"
              color={outcomeColors[check.outcome]}
              label={t(outcomeKeys[check.outcome])}
              sx={{ mr: 1, minWidth: 110 }}
            />
            <ListItemText
              primary={t(ruleKeys[check.rule])}
              secondary={
                <>
                  {details}
                  {/* The English explanation from the main process names the rule's numbers in full. */}
                  {locale === 'en' && (
                    <Typography component="span" variant="body2" display="block">
                      {check.message}
                    </Typography>
                  )}
                </>
              }
            />
          </ListItem>
        );
      })}
    </List>
  );
}
