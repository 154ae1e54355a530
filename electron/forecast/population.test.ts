import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../store/cache';
import { removeTempDirs, tempDir } from '../testing/fixtures';
import { aliveAt } from './population';

afterEach(removeTempDirs);

const day = (text: string) => Date.parse(`${text}T00:00:00Z`) / 1000;

function cacheWith(periods: [number, string, string][]) {
  const cache = openCache(join(tempDir(), 'cache.sqlite'));
  const datasetId = Number(
    cache
      .prepare(
        `INSERT INTO datasets (name, format, source, source_hash, status, started_at, imported_by)
         VALUES ('population test', 'omop', 'test', 'hash', 'complete', 0, 'test')`,
      )
      .run().lastInsertRowid,
  );
  const subject = cache.prepare(
    `INSERT INTO subjects (dataset_id, subject_id, sex, birth_time, death_time, first_event_time)
     VALUES (?, ?, 'F', ?, ?, ?)`,
  );
  subject.run(datasetId, 1, day('1950-01-01'), null, day('2010-01-01'));
  subject.run(datasetId, 2, day('1960-01-01'), null, day('2010-01-01'));
  subject.run(datasetId, 3, day('1970-01-01'), day('2019-06-01'), day('2010-01-01'));
  subject.run(datasetId, 4, day('2021-01-01'), null, day('2021-01-01'));
  const period = cache.prepare(
    'INSERT INTO observation_periods (dataset_id, subject_id, start_time, end_time) VALUES (?, ?, ?, ?)',
  );
  for (const [id, start, end] of periods) period.run(datasetId, id, day(start), day(end));
  return { cache, datasetId };
}

describe('aliveAt', () => {
  it('takes the living who were born and seen by the date when there are no periods', () => {
    const { cache, datasetId } = cacheWith([]);
    const ids = aliveAt(cache, datasetId, day('2020-01-01')).map((member) => member.subjectId);
    // 3 died in 2019 and 4 was born in 2021.
    expect(ids).toEqual([1, 2]);
    cache.close();
  });

  it('also requires an observation period around the date when the dataset has them', () => {
    const { cache, datasetId } = cacheWith([
      [1, '2010-01-01', '2024-12-31'],
      // 2 left the data source in 2018.
      [2, '2010-01-01', '2018-03-01'],
      [3, '2010-01-01', '2019-06-01'],
    ]);
    const ids = aliveAt(cache, datasetId, day('2020-01-01')).map((member) => member.subjectId);
    expect(ids).toEqual([1]);
    const earlier = aliveAt(cache, datasetId, day('2015-01-01')).map((member) => member.subjectId);
    expect(earlier).toEqual([1, 2, 3]);
    cache.close();
  });
});
