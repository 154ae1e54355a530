import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import useMediaQuery from '@mui/material/useMediaQuery';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AppInfo } from '../../shared/api';
import type { CacheInfo } from '../../shared/datasets';
import { call } from './api';
import { AppFrame } from './components/AppFrame';
import { ErrorAlert } from './components/ErrorAlert';
import { I18nProvider, useT } from './i18n/context';
import { resolveLocale } from './i18n/messages';
import { AuditPage } from './pages/audit/AuditPage';
import { CohortsPage } from './pages/cohorts/CohortsPage';
import { DataPage } from './pages/DataPage';
import { ExportsPage } from './pages/exports/ExportsPage';
import { TestUserBanner } from './pages/exports/TestUserBanner';
import { DemandPage } from './pages/demand/DemandPage';
import { ForecastsPage } from './pages/forecasts/ForecastsPage';
import { ModelCardPage } from './pages/models/ModelCardPage';
import { ValidationPage } from './pages/validation/ValidationPage';
import { PlaceholderPage } from './pages/PlaceholderPage';
import { SettingsPage } from './pages/SettingsPage';
import { pageTitleKeys, type PageId } from './navigation';
import { useLocalePreference, useThemePreference } from './preferences';
import { createAppTheme } from './theme';

export function App() {
  const [themePreference, setThemePreference] = useThemePreference();
  const [localePreference, setLocalePreference] = useLocalePreference();
  const prefersDark = useMediaQuery('(prefers-color-scheme: dark)', { noSsr: true });
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [infoError, setInfoError] = useState<unknown>(null);
  const [page, setPage] = useState<PageId>('data');
  const [synthetic, setSynthetic] = useState(false);
  const onCacheChanged = useCallback((cache: CacheInfo) => setSynthetic(cache.synthetic), []);

  useEffect(() => {
    call('app.info', {})
      .then(setInfo)
      .catch((error: unknown) => setInfoError(error));
    // The banner must show on every page, not only after the Data page has loaded.
    call('cache.info', {})
      .then(onCacheChanged)
      .catch((error: unknown) => setInfoError(error));
  }, [onCacheChanged]);

  const systemMode = prefersDark ? 'dark' : 'light';
  const mode = themePreference === 'system' ? systemMode : themePreference;
  const theme = useMemo(() => createAppTheme(mode), [mode]);
  // Until app.info returns, the browser's language is used as the OS locale.
  const locale =
    localePreference === 'system'
      ? resolveLocale(info?.systemLocale ?? navigator.language)
      : localePreference;

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <I18nProvider locale={locale}>
        <AppFrame
          page={page}
          onNavigate={setPage}
          mode={mode}
          onToggleMode={() => setThemePreference(mode === 'dark' ? 'light' : 'dark')}
          onLocaleChange={setLocalePreference}
          synthetic={synthetic}
        >
          <TestUserBanner />
          {infoError !== null && <ErrorAlert error={infoError} />}
          {page === 'data' ? (
            <DataPage info={info} onCacheChanged={onCacheChanged} />
          ) : page === 'cohorts' ? (
            <CohortsPage />
          ) : page === 'exports' ? (
            <ExportsPage />
          ) : page === 'forecasts' ? (
            <ForecastsPage />
          ) : page === 'demand' ? (
            <DemandPage />
          ) : page === 'validation' ? (
            <ValidationPage />
          ) : page === 'models' ? (
            <ModelCardPage />
          ) : page === 'audit' ? (
            <AuditPage />
          ) : page === 'settings' ? (
            <SettingsPage
              info={info}
              theme={themePreference}
              onThemeChange={setThemePreference}
              localePreference={localePreference}
              onLocaleChange={setLocalePreference}
            />
          ) : (
            <TranslatedPlaceholder page={page} />
          )}
        </AppFrame>
      </I18nProvider>
    </ThemeProvider>
  );
}

function TranslatedPlaceholder({ page }: { page: PageId }) {
  const t = useT();
  return <PlaceholderPage title={t(pageTitleKeys[page])} />;
}
