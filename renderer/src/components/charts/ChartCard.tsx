/** A titled panel around a chart or an aggregate table, with "Add to export request". */
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useRef, type ReactNode } from 'react';
import type { Output } from '../../../../shared/airlock';
import { AddToExportButton } from '../AddToExportButton';

interface ChartCardProps {
  title: string;
  /**
   * The aggregate behind the panel, given the panel's drawn chart (null for a
   * table); without it the panel has no export button (member-level views).
   */
  output?: (chart: HTMLElement | null) => Promise<Output> | Output;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
}

export function ChartCard({ title, output, actions, children, testId }: ChartCardProps) {
  const panel = useRef<HTMLElement | null>(null);
  return (
    <Paper
      ref={panel}
      variant="outlined"
      sx={{ p: 2 }}
      component="section"
      aria-label={title}
      data-testid={testId}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1, flexWrap: 'wrap' }}>
        <Typography variant="subtitle1" component="h3" sx={{ flexGrow: 1 }}>
          {title}
        </Typography>
        {actions}
        {output && (
          <AddToExportButton
            title={title}
            output={() =>
              output(panel.current?.querySelector<HTMLElement>('figure > [role="img"]') ?? null)
            }
          />
        )}
      </Box>
      {children}
    </Paper>
  );
}
