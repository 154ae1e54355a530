/**
 * Editor of one concept set. Each code is a chip: a click cycles exact, prefix
 * and descendant matching, and its + or − switches exclusion. Below the chips,
 * a search finds codes by code or description, with a vocabulary filter.
 */
import AddIcon from '@mui/icons-material/Add';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useEffect, useState } from 'react';
import {
  conceptItemFromText,
  type ConceptItem,
  type ConceptMatch,
  type ConceptSet,
} from '../../../../shared/cohort-definition';
import type { CodeSearchResult } from '../../../../shared/cohorts';
import { call } from '../../api';
import { useT } from '../../i18n/context';

const SEARCH_DELAY_MS = 250;
const nextMatch: Record<ConceptMatch, ConceptMatch> = {
  exact: 'prefix',
  prefix: 'descendants',
  descendants: 'exact',
};

interface ConceptSetEditorProps {
  label: string;
  value: ConceptSet;
  onChange(value: ConceptSet): void;
  vocabularies: string[];
}

export function ConceptSetEditor({ label, value, onChange, vocabularies }: ConceptSetEditorProps) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [vocabulary, setVocabulary] = useState('');
  const results = useCodeSearch(query, vocabulary);

  const add = (item: ConceptItem) => {
    if (value.items.some((i) => i.code === item.code && i.match === item.match)) return;
    onChange({ ...value, items: [...value.items, item] });
    setQuery('');
  };
  const update = (index: number, item: ConceptItem) =>
    onChange({ ...value, items: value.items.map((i, n) => (n === index ? item : i)) });
  const remove = (index: number) =>
    onChange({ ...value, items: value.items.filter((_, n) => n !== index) });

  return (
    <Box role="group" aria-label={label}>
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', gap: 1, mb: 1 }}>
        {value.items.length === 0 && (
          <Chip size="small" variant="outlined" label={t('cohorts.concepts.empty')} />
        )}
        {value.items.map((item, index) => (
          <Chip
            key={`${item.code}-${item.match}-${index}`}
            size="small"
            color={item.exclude ? 'warning' : 'primary'}
            variant={item.exclude ? 'outlined' : 'filled'}
            label={t(`cohorts.concepts.chip.${item.match}`, { code: item.code })}
            title={t('cohorts.concepts.chipHelp')}
            onClick={() => update(index, { ...item, match: nextMatch[item.match] })}
            onDelete={() => remove(index)}
            icon={
              <Box
                component="span"
                role="button"
                aria-label={t('cohorts.concepts.toggleExclude', { code: item.code })}
                onClick={(event) => {
                  event.stopPropagation();
                  update(index, { ...item, exclude: !item.exclude });
                }}
                sx={{ px: 0.5, fontWeight: 700, cursor: 'pointer' }}
              >
                {item.exclude ? '−' : '+'}
              </Box>
            }
          />
        ))}
      </Stack>

      <Stack direction="row" spacing={1}>
        <TextField
          size="small"
          label={t('cohorts.concepts.search')}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && query.trim()) {
              event.preventDefault();
              add(conceptItemFromText(query));
            }
          }}
          helperText={t('cohorts.concepts.searchHelp')}
          sx={{ flexGrow: 1 }}
        />
        <TextField
          select
          size="small"
          label={t('cohorts.concepts.vocabulary')}
          value={vocabulary}
          onChange={(event) => setVocabulary(event.target.value)}
          sx={{ minWidth: 140 }}
        >
          <MenuItem value="">{t('cohorts.concepts.allVocabularies')}</MenuItem>
          {vocabularies.map((v) => (
            <MenuItem key={v} value={v}>
              {v}
            </MenuItem>
          ))}
        </TextField>
        <Button
          startIcon={<AddIcon />}
          disabled={!query.trim()}
          onClick={() => add(conceptItemFromText(query))}
          sx={{ alignSelf: 'flex-start' }}
        >
          {t('cohorts.concepts.add')}
        </Button>
      </Stack>

      {query.trim() && results.length > 0 && (
        <Paper variant="outlined" sx={{ maxHeight: 200, overflow: 'auto', mt: 0.5 }}>
          <List dense aria-label={t('cohorts.concepts.results')}>
            {results.map((result) => (
              <ListItemButton
                key={result.code}
                onClick={() => add({ code: result.code, match: 'exact', exclude: false })}
              >
                <ListItemText primary={result.code} secondary={result.description ?? ''} />
              </ListItemButton>
            ))}
          </List>
        </Paper>
      )}
    </Box>
  );
}

function useCodeSearch(query: string, vocabulary: string): CodeSearchResult[] {
  const [results, setResults] = useState<CodeSearchResult[]>([]);

  useEffect(() => {
    const text = query.trim().replace(/\*$/, '');
    if (!text) return;
    let current = true;
    const timer = setTimeout(() => {
      call('codes.search', { query: text, vocabulary: vocabulary || undefined, limit: 20 })
        .then((found) => current && setResults(found))
        .catch(() => current && setResults([]));
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query, vocabulary]);

  return query.trim() ? results : [];
}
