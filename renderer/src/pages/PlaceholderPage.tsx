import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useT } from '../i18n/context';

export function PlaceholderPage({ title }: { title: string }) {
  const t = useT();
  return (
    <Paper variant="outlined" sx={{ p: 4 }}>
      <Typography variant="h5" component="h1" gutterBottom>
        {t('placeholder.title', { page: title })}
      </Typography>
      <Typography color="text.secondary">{t('placeholder.body')}</Typography>
    </Paper>
  );
}
