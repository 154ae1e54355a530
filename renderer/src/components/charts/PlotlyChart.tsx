/**
 * A plotly.js chart that follows the app's theme and locale and carries a text
 * summary for screen readers and for anyone who prefers numbers to shapes.
 * plotly.js is loaded on first use, as its own chunk of the app bundle; it
 * draws locally and fetches nothing (map traces, which would, are never used).
 */
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { useEffect, useId, useRef, type ReactNode } from 'react';
import type { Data, Layout } from 'plotly.js-dist-min';
import { useLocale } from '../../i18n/context';

type PlotlyModule = typeof import('plotly.js-dist-min');
let plotly: Promise<PlotlyModule> | null = null;
function loadPlotly(): Promise<PlotlyModule> {
  plotly ??= import('plotly.js-dist-min').then(
    (module) =>
      ((module as unknown as { default?: PlotlyModule }).default ?? module) as PlotlyModule,
  );
  return plotly;
}

/** Render the chart in `element` as a PNG or SVG, base64 without the data: prefix. */
export async function chartImage(
  element: HTMLElement,
  format: 'png' | 'svg',
): Promise<{ format: 'png' | 'svg'; dataBase64: string }> {
  const Plotly = await loadPlotly();
  const url = await Plotly.toImage(element as Plotly.PlotlyHTMLElement, {
    format,
    width: Math.max(600, element.clientWidth),
    height: Math.max(360, element.clientHeight),
  });
  if (format === 'svg') {
    const svg = decodeURIComponent(url.slice(url.indexOf(',') + 1));
    return { format, dataBase64: utf8Base64(svg) };
  }
  return { format, dataBase64: url.slice(url.indexOf(',') + 1) };
}

function utf8Base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** How long an image may take before the output goes without one. */
const IMAGE_TIMEOUT_MS = 5_000;

/**
 * The chart as a PNG for an export request, or undefined when rendering it
 * fails or takes longer than IMAGE_TIMEOUT_MS: the aggregate table is what the
 * reviewers check, so it is sent without the picture rather than not at all.
 */
export async function chartImageIfAny(
  element: HTMLElement | null,
): Promise<{ format: 'png' | 'svg'; dataBase64: string } | undefined> {
  if (!element) return undefined;
  const timeout = new Promise<undefined>((resolve) =>
    window.setTimeout(() => resolve(undefined), IMAGE_TIMEOUT_MS),
  );
  try {
    return await Promise.race([chartImage(element, 'png'), timeout]);
  } catch (error) {
    console.warn('chart image failed', error);
    return undefined;
  }
}

/** The decimal and group separators of a locale, in plotly's `separators` form. */
export function separators(locale: string): string {
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  return `${decimal}${group}`;
}

export interface PlotlyChartProps {
  /** Accessible name of the chart. */
  title: string;
  /** What the chart shows in words: the main values, for screen readers and as a caption. */
  summary: string;
  data: Data[];
  layout?: Partial<Layout>;
  height?: number;
  /** Receives the chart's element once drawn, for images. */
  onElement?: (element: HTMLElement | null) => void;
  testId?: string;
  children?: ReactNode;
}

export function PlotlyChart({
  title,
  summary,
  data,
  layout,
  height = 340,
  onElement,
  testId,
}: PlotlyChartProps) {
  const theme = useTheme();
  const locale = useLocale();
  const element = useRef<HTMLDivElement | null>(null);
  const summaryId = useId();

  useEffect(() => {
    let stopped = false;
    const target = element.current;
    if (!target) return;
    void loadPlotly().then((Plotly) => {
      if (stopped) return;
      const text = theme.palette.text.primary;
      const grid = theme.palette.divider;
      void Plotly.react(
        target,
        data,
        {
          autosize: true,
          height,
          margin: { l: 64, r: 24, t: 16, b: 56 },
          paper_bgcolor: 'rgba(0,0,0,0)',
          plot_bgcolor: 'rgba(0,0,0,0)',
          font: { color: text, family: theme.typography.fontFamily },
          separators: separators(locale),
          legend: { orientation: 'h', y: -0.2 },
          ...layout,
          xaxis: { gridcolor: grid, zerolinecolor: grid, automargin: true, ...layout?.xaxis },
          yaxis: { gridcolor: grid, zerolinecolor: grid, automargin: true, ...layout?.yaxis },
        },
        { displayModeBar: false, responsive: true, displaylogo: false },
      ).then(() => onElement?.(target));
    });
    return () => {
      stopped = true;
    };
  }, [data, layout, height, theme, locale, onElement]);

  useEffect(() => {
    const target = element.current;
    return () => {
      if (target) void loadPlotly().then((Plotly) => Plotly.purge(target));
    };
  }, []);

  return (
    <Box component="figure" sx={{ m: 0 }} data-testid={testId}>
      <div
        ref={element}
        role="img"
        aria-label={title}
        aria-describedby={summaryId}
        style={{ width: '100%', minHeight: height }}
      />
      <Typography
        component="figcaption"
        id={summaryId}
        variant="caption"
        color="text.secondary"
        data-testid="chart-summary"
      >
        {summary}
      </Typography>
    </Box>
  );
}
