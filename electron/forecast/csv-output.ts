import { closeSync, openSync, writeSync } from 'node:fs';
import type { Vocabulary } from '../model/vocabulary';
import type { CodeForecast } from './member-summary';
import type { Member } from './population';

const HEADER = [
  'subject_id',
  'code',
  'description',
  'probability',
  'ci_low',
  'ci_high',
  'expected_days',
  'expected_count',
  'coverage',
];

/** Writes per-member forecasts to a CSV file, one row per member and code, as they arrive. */
export class ForecastCsv {
  private readonly fd: number;

  constructor(
    path: string,
    private readonly vocabulary: Vocabulary,
  ) {
    this.fd = openSync(path, 'w');
    writeSync(this.fd, HEADER.join(',') + '\n');
  }

  add(member: Member, forecasts: CodeForecast[], coverage: number): void {
    const lines = forecasts.map((forecast) => {
      const token = this.vocabulary.tokens[forecast.token]!;
      return [
        String(member.subjectId),
        quote(token.code),
        quote(token.description ?? ''),
        forecast.probability.toFixed(4),
        forecast.ciLow.toFixed(4),
        forecast.ciHigh.toFixed(4),
        forecast.expectedDays === null ? '' : forecast.expectedDays.toFixed(1),
        forecast.expectedCount.toFixed(4),
        coverage.toFixed(4),
      ].join(',');
    });
    if (lines.length > 0) writeSync(this.fd, lines.join('\n') + '\n');
  }

  close(): void {
    closeSync(this.fd);
  }
}

function quote(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
