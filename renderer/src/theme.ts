import { createTheme, type Theme } from '@mui/material/styles';

// The app is offline, so it uses fonts the operating system already has
// (including the CJK system fonts for zh-TW) instead of bundled web fonts.
const systemFontStack = [
  'system-ui',
  '-apple-system',
  '"Segoe UI"',
  'Roboto',
  '"Noto Sans"',
  '"Noto Sans CJK TC"',
  '"Microsoft JhengHei"',
  '"PingFang TC"',
  '"Helvetica Neue"',
  'Arial',
  'sans-serif',
].join(', ');

export function createAppTheme(mode: 'light' | 'dark'): Theme {
  return createTheme({
    palette: {
      mode,
      primary: { main: mode === 'light' ? '#1f5f8b' : '#7fb8e0' },
      secondary: { main: mode === 'light' ? '#6a4c93' : '#c3a6ea' },
    },
    typography: { fontFamily: systemFontStack },
  });
}
