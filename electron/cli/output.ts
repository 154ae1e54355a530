import type { DatasetSummary } from '../../shared/datasets';

export function formatDate(seconds: number | null): string {
  return seconds === null ? '-' : new Date(seconds * 1000).toISOString().slice(0, 10);
}

export function formatDatasets(datasets: DatasetSummary[]): string {
  if (datasets.length === 0) return 'No datasets in this cache.';
  const header = [
    'id',
    'name',
    'version',
    'format',
    'subjects',
    'events',
    'codes',
    'first event',
    'last event',
    'imported',
  ];
  const rows = datasets.map((d) => [
    String(d.id),
    d.name,
    String(d.version),
    d.format,
    String(d.subjects),
    String(d.events),
    String(d.codes),
    formatDate(d.firstEventTime),
    formatDate(d.lastEventTime),
    new Date(d.importedAt).toISOString().slice(0, 19).replace('T', ' '),
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => row[i]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
