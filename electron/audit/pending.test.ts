import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache, type Cache } from '../store/cache';
import { removeTempDirs, tableCount, tempDir } from '../testing/fixtures';
import { flushAudit, listAudit, queueAudit, verifyAudit, withAudit } from './index';

let db: Cache;

afterEach(() => {
  db?.close();
  removeTempDirs();
});

function cache(): Cache {
  db = openCache(join(tempDir(), 'cache.sqlite'));
  db.exec('CREATE TABLE things (name TEXT)');
  return db;
}

describe('queued audit entries', () => {
  it('commit with the change and reach the log', () => {
    const db = cache();
    withAudit(
      db,
      () => db.prepare("INSERT INTO things VALUES ('a')").run(),
      () => ({ action: 'cohort.generate', objectId: 'a', counts: { members: 3 } }),
    );
    expect(tableCount(db, 'things')).toBe(1);
    expect(tableCount(db, 'audit_pending')).toBe(0);
    const [entry] = listAudit({}, db).entries;
    expect(entry).toMatchObject({ action: 'cohort.generate', objectId: 'a' });
    // Appended by the call that made the change, so not marked recovered.
    expect(entry!.details).toEqual({});
  });

  it('roll back with a change that fails', () => {
    const db = cache();
    expect(() =>
      withAudit(
        db,
        () => {
          db.prepare("INSERT INTO things VALUES ('b')").run();
          throw new Error('the change failed');
        },
        () => ({ action: 'cohort.generate' }),
      ),
    ).toThrow('the change failed');
    expect(tableCount(db, 'things')).toBe(0);
    expect(tableCount(db, 'audit_pending')).toBe(0);
    expect(listAudit({}, db).total).toBe(0);
  });

  it('reject an invalid entry before the change commits', () => {
    const db = cache();
    expect(() =>
      withAudit(
        db,
        () => db.prepare("INSERT INTO things VALUES ('c')").run(),
        () => ({ action: 'Not A Name' }),
      ),
    ).toThrow(/dotted lower-case name/);
    expect(tableCount(db, 'things')).toBe(0);
  });

  it('must be queued inside a transaction', () => {
    const db = cache();
    expect(() => queueAudit(db, { action: 'cohort.generate' })).toThrow(/inside the transaction/);
  });

  it('flush in order, marked recovered', () => {
    const db = cache();
    db.transaction(() => {
      queueAudit(db, { action: 'cohort.generate', objectId: '1' });
      queueAudit(db, { action: 'forecast.run', objectId: '2' });
    })();
    expect(tableCount(db, 'audit_pending')).toBe(2);

    const flushed = flushAudit(db);
    expect(flushed.map((entry) => entry.objectId)).toEqual(['1', '2']);
    expect(flushed.every((entry) => entry.details.recovered === true)).toBe(true);
    expect(verifyAudit(db)).toMatchObject({ ok: true, entries: 2 });
  });
});
