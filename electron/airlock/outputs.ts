/** Validation of outputs before they are added to a request. */
import type { Output } from '../../shared/airlock';
import { HorizonError } from '../../shared/errors';
import { rowLevelReason } from './checks/row-level';

/** Reject member-level data and tables whose rows or contributor lists do not fit their columns. */
export function validateOutput(output: Output): void {
  const reason = rowLevelReason(output.table, output.rowLevel);
  if (reason)
    throw new HorizonError(
      'airlock_row_level',
      `"${output.title}" cannot be exported: ${reason}. Row-level (per-person) data never leaves ` +
        'the environment; add an aggregate table instead.',
      { title: output.title },
    );

  const width = output.table.columns.length;
  output.table.rows.forEach((row, index) => {
    if (row.length !== width)
      invalid(
        output,
        `table.rows.${index}`,
        `row ${index + 1} has ${row.length} cells, expected ${width}`,
      );
  });
  const names = output.table.columns.map((column) => column.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined)
    invalid(output, 'table.columns', `column name "${duplicate}" appears twice`);

  for (const [column, entries] of Object.entries(output.contributors ?? {})) {
    const role = output.table.columns.find((c) => c.name === column)?.role;
    if (role !== 'magnitude')
      invalid(
        output,
        `contributors.${column}`,
        `"${column}" is not a magnitude column of the table`,
      );
    if (entries.length !== output.table.rows.length)
      invalid(
        output,
        `contributors.${column}`,
        `has ${entries.length} entries for ${output.table.rows.length} rows`,
      );
  }

  if (output.kind === 'chart' && !output.image)
    invalid(output, 'image', 'a chart needs its image (PNG or SVG) beside its table');
  if (output.image) {
    const bytes = Buffer.from(output.image.dataBase64, 'base64');
    const png = bytes
      .subarray(0, 8)
      .equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const svg = /<svg[\s>]/i.test(bytes.subarray(0, 4096).toString('utf8'));
    if ((output.image.format === 'png' && !png) || (output.image.format === 'svg' && !svg))
      invalid(
        output,
        'image.dataBase64',
        `the data is not a ${output.image.format.toUpperCase()} image`,
      );
  }
}

function invalid(output: Output, field: string, message: string): never {
  throw new HorizonError(
    'airlock_invalid_output',
    `The output "${output.title}" is not valid at ${field}: ${message}.`,
    { field },
  );
}
