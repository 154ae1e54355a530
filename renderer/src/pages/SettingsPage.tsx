import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Select from '@mui/material/Select';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { AppInfo } from '../../../shared/api';
import { useT } from '../i18n/context';
import { isLocale, locales, resolveLocale } from '../i18n/messages';
import type { LocalePreference, ThemePreference } from '../preferences';
import { EnginePanel } from './EnginePanel';
import { OptOutPanel } from './governance/OptOutPanel';

interface SettingsPageProps {
  info: AppInfo | null;
  theme: ThemePreference;
  onThemeChange(value: ThemePreference): void;
  localePreference: LocalePreference;
  onLocaleChange(value: LocalePreference): void;
}

const themeChoices: ThemePreference[] = ['system', 'light', 'dark'];

export function SettingsPage(props: SettingsPageProps) {
  const t = useT();
  const systemLanguage = t(
    `language.${resolveLocale(props.info?.systemLocale ?? navigator.language)}`,
  );

  return (
    <Stack spacing={3} sx={{ maxWidth: 720 }}>
      <Typography variant="h5" component="h1">
        {t('settings.title')}
      </Typography>

      <Paper variant="outlined" sx={{ p: 3 }}>
        <Typography variant="h6" component="h2" gutterBottom>
          {t('settings.appearance')}
        </Typography>
        <Stack spacing={3}>
          <FormControl>
            <FormLabel id="settings-theme-label">{t('settings.theme')}</FormLabel>
            <RadioGroup
              row
              aria-labelledby="settings-theme-label"
              value={props.theme}
              onChange={(event) => props.onThemeChange(event.target.value as ThemePreference)}
            >
              {themeChoices.map((choice) => (
                <FormControlLabel
                  key={choice}
                  value={choice}
                  control={<Radio />}
                  label={t(`settings.theme.${choice}`)}
                />
              ))}
            </RadioGroup>
          </FormControl>

          <FormControl sx={{ maxWidth: 360 }}>
            <InputLabel id="settings-language-label">{t('settings.language')}</InputLabel>
            <Select
              labelId="settings-language-label"
              label={t('settings.language')}
              value={props.localePreference}
              onChange={(event) => {
                const value = event.target.value;
                props.onLocaleChange(isLocale(value) ? value : 'system');
              }}
            >
              <MenuItem value="system">
                {t('settings.language.system', { language: systemLanguage })}
              </MenuItem>
              {locales.map((locale) => (
                <MenuItem key={locale} value={locale} lang={locale}>
                  {t(`language.${locale}`)}
                </MenuItem>
              ))}
            </Select>
          </FormControl>
        </Stack>
      </Paper>

      <EnginePanel />

      <OptOutPanel info={props.info} />

      {props.info && (
        <Paper variant="outlined" sx={{ p: 3 }}>
          <Typography variant="h6" component="h2" gutterBottom>
            {t('settings.about')}
          </Typography>
          <Stack component="dl" spacing={1} sx={{ m: 0 }}>
            <AboutRow label={t('settings.version')} value={props.info.version} />
            <AboutRow label={t('settings.user')} value={props.info.user} />
            <AboutRow label={t('settings.platform')} value={props.info.platform} />
            <AboutRow label={t('settings.cachePath')} value={props.info.cachePath} />
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}

function AboutRow({ label, value }: { label: string; value: string }) {
  return (
    <Stack direction="row" spacing={2}>
      <Typography component="dt" color="text.secondary" sx={{ minWidth: 140 }}>
        {label}
      </Typography>
      <Typography component="dd" sx={{ m: 0, wordBreak: 'break-all' }}>
        {value}
      </Typography>
    </Stack>
  );
}
