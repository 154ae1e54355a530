import AssessmentIcon from '@mui/icons-material/Assessment';
import DarkModeIcon from '@mui/icons-material/DarkMode';
import GroupsIcon from '@mui/icons-material/Groups';
import HistoryIcon from '@mui/icons-material/History';
import LightModeIcon from '@mui/icons-material/LightMode';
import LocalHospitalIcon from '@mui/icons-material/LocalHospital';
import MenuIcon from '@mui/icons-material/Menu';
import ModelTrainingIcon from '@mui/icons-material/ModelTraining';
import OutboxIcon from '@mui/icons-material/Outbox';
import SettingsIcon from '@mui/icons-material/Settings';
import StorageIcon from '@mui/icons-material/Storage';
import TimelineIcon from '@mui/icons-material/Timeline';
import TranslateIcon from '@mui/icons-material/Translate';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Toolbar from '@mui/material/Toolbar';
import Alert from '@mui/material/Alert';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useState, type ReactNode } from 'react';
import { useLocale, useT } from '../i18n/context';
import { locales, type Locale } from '../i18n/messages';
import { pageIds, pageTitleKeys, type PageId } from '../navigation';

const drawerWidth = 220;

const pageIcons: Record<PageId, ReactNode> = {
  data: <StorageIcon />,
  cohorts: <GroupsIcon />,
  forecasts: <TimelineIcon />,
  demand: <LocalHospitalIcon />,
  validation: <AssessmentIcon />,
  models: <ModelTrainingIcon />,
  exports: <OutboxIcon />,
  audit: <HistoryIcon />,
  settings: <SettingsIcon />,
};

interface AppFrameProps {
  page: PageId;
  onNavigate(page: PageId): void;
  mode: 'light' | 'dark';
  onToggleMode(): void;
  onLocaleChange(locale: Locale): void;
  /** True while the cache contains synthetic data, so every page shows a banner. */
  synthetic: boolean;
  children: ReactNode;
}

export function AppFrame({
  page,
  onNavigate,
  mode,
  onToggleMode,
  onLocaleChange,
  synthetic,
  children,
}: AppFrameProps) {
  const t = useT();
  const locale = useLocale();
  const [drawerOpen, setDrawerOpen] = useState(true);
  const [languageAnchor, setLanguageAnchor] = useState<HTMLElement | null>(null);
  const modeLabel = mode === 'dark' ? t('appBar.switchToLight') : t('appBar.switchToDark');

  return (
    <Box sx={{ display: 'flex', minHeight: '100vh' }}>
      <AppBar position="fixed" sx={{ zIndex: (theme) => theme.zIndex.drawer + 1 }}>
        <Toolbar>
          <IconButton
            color="inherit"
            edge="start"
            aria-label={t('appBar.toggleNavigation')}
            aria-expanded={drawerOpen}
            aria-controls="main-navigation"
            onClick={() => setDrawerOpen((open) => !open)}
            sx={{ mr: 2 }}
          >
            <MenuIcon />
          </IconButton>
          <Typography variant="h6" component="div" sx={{ flexGrow: 1 }}>
            {t('app.title')}
          </Typography>

          <Tooltip title={t('appBar.language')}>
            <IconButton
              color="inherit"
              aria-label={t('appBar.language')}
              aria-haspopup="menu"
              onClick={(event) => setLanguageAnchor(event.currentTarget)}
            >
              <TranslateIcon />
            </IconButton>
          </Tooltip>
          <Menu
            anchorEl={languageAnchor}
            open={languageAnchor !== null}
            onClose={() => setLanguageAnchor(null)}
          >
            {locales.map((choice) => (
              <MenuItem
                key={choice}
                lang={choice}
                selected={choice === locale}
                onClick={() => {
                  onLocaleChange(choice);
                  setLanguageAnchor(null);
                }}
              >
                {t(`language.${choice}`)}
              </MenuItem>
            ))}
          </Menu>

          <Tooltip title={modeLabel}>
            <IconButton color="inherit" aria-label={modeLabel} onClick={onToggleMode}>
              {mode === 'dark' ? <LightModeIcon /> : <DarkModeIcon />}
            </IconButton>
          </Tooltip>
        </Toolbar>
      </AppBar>

      <Drawer
        variant="persistent"
        open={drawerOpen}
        sx={{
          width: drawerOpen ? drawerWidth : 0,
          flexShrink: 0,
          '& .MuiDrawer-paper': { width: drawerWidth, boxSizing: 'border-box' },
        }}
      >
        <Toolbar />
        <Box component="nav" id="main-navigation" aria-label={t('nav.label')}>
          <List>
            {pageIds.map((id) => (
              <ListItemButton
                key={id}
                selected={id === page}
                aria-current={id === page ? 'page' : undefined}
                onClick={() => onNavigate(id)}
              >
                <ListItemIcon>{pageIcons[id]}</ListItemIcon>
                <ListItemText primary={t(pageTitleKeys[id])} />
              </ListItemButton>
            ))}
          </List>
        </Box>
      </Drawer>

      <Box component="main" sx={{ flexGrow: 1, p: 3, minWidth: 0 }}>
        <Toolbar />
        {synthetic && (
          <Alert severity="warning" role="status" data-testid="synthetic-banner" sx={{ mb: 2 }}>
            {t('demo.banner')}
          </Alert>
        )}
        {children}
      </Box>
    </Box>
  );
}
