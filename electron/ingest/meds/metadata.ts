import type { ReadContext } from '../reader';
import type { ParquetFile } from './parquet-file';

/** Read `metadata/codes.parquet`: descriptions and parent codes of each code. */
export async function readCodeMetadata(context: ReadContext, file: ParquetFile): Promise<void> {
  const wanted = ['code', 'description', 'parent_codes'].filter((column) =>
    file.columns.includes(column),
  );
  if (!wanted.includes('code')) {
    context.warnings.push(`${file.name} has no code column and was skipped`);
    return;
  }
  const at = (column: string) => wanted.indexOf(column);

  let rowStart = 0;
  for (const group of file.metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await file.readRows(rowStart, rowEnd, wanted);
    context.writer.within(() => {
      for (const row of rows) {
        const code = row[at('code')];
        if (typeof code !== 'string' || code.length === 0) continue;
        const description = at('description') >= 0 ? row[at('description')] : null;
        context.codes.annotate(code, {
          description: typeof description === 'string' ? description : null,
        });

        const parents = at('parent_codes') >= 0 ? row[at('parent_codes')] : null;
        if (Array.isArray(parents)) {
          for (const parent of parents)
            if (typeof parent === 'string' && parent.length > 0)
              context.codes.addParent(code, parent);
        }
      }
    });
    rowStart = rowEnd;
    await context.writer.checkpoint();
  }
}

/** Read `metadata/subject_splits.parquet` onto subjects seen in the data (train, tuning, held_out). */
export async function readSubjectSplits(context: ReadContext, file: ParquetFile): Promise<void> {
  if (!file.columns.includes('subject_id') || !file.columns.includes('split')) {
    context.warnings.push(`${file.name} lacks subject_id or split and was skipped`);
    return;
  }
  const update = context.db.prepare(
    'UPDATE subjects SET split = ? WHERE dataset_id = ? AND subject_id = ?',
  );

  let rowStart = 0;
  for (const group of file.metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await file.readRows(rowStart, rowEnd, ['subject_id', 'split']);
    context.writer.within(() => {
      for (const [subject, split] of rows) {
        if (
          (typeof subject === 'bigint' || typeof subject === 'number') &&
          typeof split === 'string'
        ) {
          update.run(split, context.datasetId, subject);
        }
      }
    });
    rowStart = rowEnd;
    await context.writer.checkpoint();
  }
}
