/**
 * Runs the disclosure checks over the files of a request as the author last
 * edited them, and freezes the result for a submission.
 */
import type { CellContributors, CheckResult, OutputTable } from '../../shared/airlock';
import type { EffectiveDisclosure } from '../policy/schema';
import { checkTables, fileTypeCheck, type CheckInput } from './checks';
import { tableToCsv } from './csv';
import type { DraftFile, SubmittedFile } from './request-state';
import { putBlob, readBlob, readJsonBlob } from './store/blobs';

export interface StoredOriginal {
  table: OutputTable;
  contributors?: Record<string, (CellContributors | null)[]>;
}

export interface EvaluatedFile {
  file: DraftFile;
  checks: CheckResult[];
  original: OutputTable | null;
  safe: OutputTable | null;
  /** Bytes of the released file: the CSV of the safe table, or the custom file. */
  bytes: Buffer;
  fileName: string;
  imageName: string | null;
}

export function fileNames(file: DraftFile): { fileName: string; imageName: string | null } {
  const extension = file.kind === 'custom' ? (file.customExtension ?? 'bin') : 'csv';
  return {
    fileName: `${file.name}.${extension}`,
    imageName: file.imageFormat ? `${file.name}.${file.imageFormat}` : null,
  };
}

/** Check every file of a request together, so that totals shared between tables are found. */
export function evaluateFiles(
  requestDir: string,
  files: DraftFile[],
  rules: EffectiveDisclosure,
): EvaluatedFile[] {
  const tables = files.filter((file) => file.originalSha !== null);
  const originals = new Map(
    tables.map((file) => [
      file.fileId,
      readJsonBlob<StoredOriginal>(
        requestDir,
        file.originalSha!,
        `output "${file.title}" (${file.fileId})`,
      ),
    ]),
  );
  const inputs: CheckInput[] = tables.map((file) => ({
    fileId: file.fileId,
    table: originals.get(file.fileId)!.table,
    contributors: originals.get(file.fileId)!.contributors,
    fileTypes: ['csv', ...(file.imageFormat ? [file.imageFormat] : [])],
  }));
  const checked = new Map(checkTables(inputs, rules).map((result) => [result.fileId, result]));

  return files.map((file) => {
    const names = fileNames(file);
    if (file.kind === 'custom') {
      const bytes = readBlob(
        requestDir,
        file.customSha!,
        `custom file "${file.title}" (${file.fileId})`,
      );
      const checks: CheckResult[] = [
        fileTypeCheck([file.customExtension ?? ''], rules),
        {
          rule: 'custom-output',
          params: { source: file.source },
          outcome: 'review',
          message:
            'Horizon did not produce this file, so no automatic check could run. Reviewers must ' +
            'check every value in it by hand.',
          cells: [],
        },
      ];
      return { file, checks, original: null, safe: null, bytes, ...names };
    }
    const result = checked.get(file.fileId)!;
    const original = originals.get(file.fileId)!.table;
    const checks = [...result.checks];
    if (file.imageSha) checks.push(chartCheck(original, result.safe));
    return {
      file,
      checks,
      original,
      safe: result.safe,
      bytes: Buffer.from(tableToCsv(result.safe), 'utf8'),
      ...names,
    };
  });
}

/** Check a chart: its image shows the original values, so it may go out only when no cell changed. */
function chartCheck(original: OutputTable, safe: OutputTable): CheckResult {
  const changed = original.rows.some((row, r) => row.some((cell, c) => safe.rows[r]?.[c] !== cell));
  return {
    rule: 'chart-image',
    params: {},
    outcome: changed ? 'fail' : 'pass',
    message: changed
      ? 'The chart image shows values that the checks suppressed or rounded. Redraw it from the safe ' +
        'table, or remove the chart and export its table.'
      : 'The chart shows only values that passed every check.',
    cells: [],
  };
}

/** Store the released bytes of each file and return the records a submission freezes. */
export function freezeFiles(requestDir: string, evaluated: EvaluatedFile[]): SubmittedFile[] {
  return evaluated.map(({ file, checks, safe, bytes, fileName, imageName }) => {
    const hash = putBlob(requestDir, bytes);
    return {
      fileId: file.fileId,
      title: file.title,
      source: file.source,
      kind: file.kind,
      context: file.context,
      controls: file.controls ?? '',
      group: file.group,
      name: fileName,
      sha256: hash,
      size: bytes.length,
      imageName,
      imageSha256: file.imageSha,
      safeSha: safe ? putBlob(requestDir, JSON.stringify(safe)) : null,
      originalSha: file.originalSha,
      checks,
      addedBy: file.addedBy,
      addedAt: file.addedAt,
    };
  });
}
