import type Database from 'better-sqlite3';

export interface CodeDetails {
  description?: string | null;
  vocabulary?: string | null;
}

/**
 * Interns code strings into the `codes` table and caches their ids. The cache
 * grows with the number of distinct codes, which vocabularies bound (tens of
 * thousands), not with the number of events.
 */
export class CodeInterner {
  private readonly ids = new Map<string, number>();
  private readonly select: Database.Statement<[string], { id: number }>;
  private readonly insert: Database.Statement<[string, string | null, string | null, number]>;
  private readonly describe: Database.Statement<[string | null, string | null, number]>;
  private readonly link: Database.Statement<[number, number]>;

  constructor(
    db: Database.Database,
    private readonly datasetId: number,
  ) {
    this.select = db.prepare('SELECT id FROM codes WHERE code = ?');
    this.insert = db.prepare(
      'INSERT INTO codes (code, description, vocabulary, introduced_by) VALUES (?, ?, ?, ?)',
    );
    this.describe = db.prepare(
      `UPDATE codes SET description = coalesce(description, ?), vocabulary = coalesce(vocabulary, ?)
        WHERE id = ?`,
    );
    this.link = db.prepare('INSERT OR IGNORE INTO code_parents (code_id, parent_id) VALUES (?, ?)');
  }

  /** Return the id of `code`, inserting it on first use. */
  id(code: string, details?: CodeDetails): number {
    const cached = this.ids.get(code);
    if (cached !== undefined) return cached;

    const existing = this.select.get(code);
    let id: number;
    if (existing) {
      id = existing.id;
      if (details) this.describe.run(details.description ?? null, details.vocabulary ?? null, id);
    } else {
      const vocabulary = details?.vocabulary ?? vocabularyOf(code);
      id = Number(
        this.insert.run(code, details?.description ?? null, vocabulary, this.datasetId)
          .lastInsertRowid,
      );
    }
    this.ids.set(code, id);
    return id;
  }

  /** Record a description for a code, interning it if needed. An existing description wins. */
  annotate(code: string, details: CodeDetails): number {
    const id = this.id(code);
    this.describe.run(details.description ?? null, details.vocabulary ?? null, id);
    return id;
  }

  addParent(code: string, parent: string): void {
    const childId = this.id(code);
    const parentId = this.id(parent);
    if (childId !== parentId) this.link.run(childId, parentId);
  }
}

/** The vocabulary prefix of a MEDS-style code: `ICD10//E11` -> `ICD10`; codes without `//` have none. */
export function vocabularyOf(code: string): string | null {
  const separator = code.indexOf('//');
  return separator > 0 ? code.slice(0, separator) : null;
}
