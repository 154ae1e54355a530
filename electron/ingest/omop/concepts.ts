import type Database from 'better-sqlite3';
import type { CodeInterner } from '../../store/codes';
import type { ReadContext } from '../reader';
import type { TableEntry } from './archive';
import { readCsvTable } from './csv-table';
import { codePrefix } from './vocabulary';

interface StagedConcept {
  code: string;
  description: string;
  vocabulary: string;
}

/**
 * OMOP concept ids resolved to MEDS-style codes. The concept table is staged in
 * a temporary SQLite table (on disk, see temp_store) instead of memory, because
 * a full vocabulary has millions of concepts.
 */
export class ConceptMap {
  private readonly lookup: Database.Statement<
    [number],
    { vocabulary_id: string; concept_code: string; concept_name: string }
  >;
  private readonly recent = new Map<number, StagedConcept | null>();
  private readonly used = new Map<number, number>();

  private constructor(
    private readonly db: Database.Database,
    private readonly codes: CodeInterner,
  ) {
    this.lookup = db.prepare(
      'SELECT vocabulary_id, concept_code, concept_name FROM temp.omop_concept WHERE concept_id = ?',
    );
  }

  static async stage(context: ReadContext, concept: TableEntry | undefined): Promise<ConceptMap> {
    const { db } = context;
    db.exec(`DROP TABLE IF EXISTS temp.omop_concept;
             CREATE TEMP TABLE omop_concept (concept_id INTEGER PRIMARY KEY, vocabulary_id TEXT NOT NULL,
                                             concept_code TEXT NOT NULL, concept_name TEXT);
             DROP TABLE IF EXISTS temp.omop_parent;
             CREATE TEMP TABLE omop_parent (child INTEGER NOT NULL, parent INTEGER NOT NULL, PRIMARY KEY (child, parent)) WITHOUT ROWID;`);
    const map = new ConceptMap(db, context.codes);
    if (!concept) {
      context.warnings.push(
        'No concept table: codes are named OMOP_CONCEPT//<concept_id> without descriptions',
      );
      return map;
    }

    const insert = db.prepare('INSERT OR REPLACE INTO temp.omop_concept VALUES (?, ?, ?, ?)');
    context.progress.file = concept.name;
    const records = readCsvTable({
      file: concept.name,
      stream: await concept.open(),
      required: ['concept_id', 'vocabulary_id', 'concept_code'],
    });
    let batch = 0;
    for await (const record of records) {
      const id = Number(record.get('concept_id'));
      if (!Number.isInteger(id)) continue;
      context.writer.within(() =>
        insert.run(
          id,
          record.get('vocabulary_id'),
          record.get('concept_code'),
          record.get('concept_name') || null,
        ),
      );
      if (++batch % 10_000 === 0) await context.writer.checkpoint();
    }
    return map;
  }

  /** Stage direct parent links from concept_ancestor (one level) or concept_relationship ('Is a'). */
  async stageParents(
    context: ReadContext,
    ancestor: TableEntry | undefined,
    relationship: TableEntry | undefined,
  ) {
    const insert = this.db.prepare('INSERT OR IGNORE INTO temp.omop_parent VALUES (?, ?)');
    const sources = [
      {
        entry: ancestor,
        required: ['ancestor_concept_id', 'descendant_concept_id', 'min_levels_of_separation'],
      },
      { entry: relationship, required: ['concept_id_1', 'concept_id_2', 'relationship_id'] },
    ];
    for (const { entry, required } of sources) {
      if (!entry) continue;
      context.progress.file = entry.name;
      let batch = 0;
      for await (const record of readCsvTable({
        file: entry.name,
        stream: await entry.open(),
        required,
      })) {
        const link =
          entry === ancestor
            ? record.get('min_levels_of_separation') === '1'
              ? [record.get('descendant_concept_id'), record.get('ancestor_concept_id')]
              : null
            : record.get('relationship_id') === 'Is a'
              ? [record.get('concept_id_1'), record.get('concept_id_2')]
              : null;
        if (link) context.writer.within(() => insert.run(Number(link[0]), Number(link[1])));
        if (++batch % 10_000 === 0) await context.writer.checkpoint();
      }
    }
  }

  /** The code id for a concept, interning it on first use; null for concept 0 or unknown ids. */
  codeId(conceptId: number): number | null {
    if (conceptId === 0 || !Number.isInteger(conceptId)) return null;
    const used = this.used.get(conceptId);
    if (used !== undefined) return used;

    const concept = this.find(conceptId);
    const id = concept
      ? this.codes.id(concept.code, {
          description: concept.description,
          vocabulary: concept.vocabulary,
        })
      : this.codes.id(`OMOP_CONCEPT//${conceptId}`, { vocabulary: 'OMOP_CONCEPT' });
    this.used.set(conceptId, id);
    return id;
  }

  /** Link every used concept to its staged parents, and those parents to theirs. */
  linkParents(): void {
    const parentsOf = this.db
      .prepare('SELECT parent FROM temp.omop_parent WHERE child = ?')
      .pluck();
    const queue = [...this.used.keys()];
    const seen = new Set(queue);
    while (queue.length > 0) {
      const child = queue.pop()!;
      const childCode = this.find(child);
      if (!childCode) continue;
      for (const parent of parentsOf.all(child) as number[]) {
        const parentCode = this.find(parent);
        if (!parentCode) continue;
        this.codes.annotate(parentCode.code, {
          description: parentCode.description,
          vocabulary: parentCode.vocabulary,
        });
        this.codes.addParent(childCode.code, parentCode.code);
        if (!seen.has(parent)) {
          seen.add(parent);
          queue.push(parent);
        }
      }
    }
  }

  drop(): void {
    this.db.exec('DROP TABLE IF EXISTS temp.omop_concept; DROP TABLE IF EXISTS temp.omop_parent;');
  }

  private find(conceptId: number): StagedConcept | null {
    const cached = this.recent.get(conceptId);
    if (cached !== undefined) return cached;
    const row = this.lookup.get(conceptId);
    const concept = row
      ? {
          code: `${codePrefix(row.vocabulary_id)}//${row.concept_code}`,
          description: row.concept_name,
          vocabulary: codePrefix(row.vocabulary_id),
        }
      : null;
    // Bound the lookup cache; the staged table is the source of truth.
    if (this.recent.size > 200_000) this.recent.clear();
    this.recent.set(conceptId, concept);
    return concept;
  }
}
