import type { ImportRequest } from '../../shared/api';
import type { ImportProgress } from '../../shared/datasets';

export interface ImportOptions extends ImportRequest {
  /** Operating-system user recorded on the dataset row. */
  importedBy: string;
  signal?: AbortSignal;
  onProgress?: (progress: ImportProgress) => void;
}
