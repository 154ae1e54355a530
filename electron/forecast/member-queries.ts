/**
 * A run's members for the member table and the patient view. Paging, sorting
 * and filtering run in SQLite, so the renderer keeps one page of rows at a
 * time however large the run is. Members are known by pseudonymous ids only.
 */
import type { RequestOf } from '../../shared/api';
import type {
  MemberPage,
  MemberRow,
  MemberView,
  TimelineCategory,
} from '../../shared/forecast-api';
import { HorizonError, toErrorPayload } from '../../shared/errors';
import { maskCount } from '../cohorts/masking';
import { modelCode, tokenKind } from '../model/code-mapping';
import type { LoadedModel } from '../model/model-folder';
import { Random, subjectKey } from '../model/random';
import { sampleTrajectories } from '../model/sampler';
import { tokenizeTimeline, truncateSequence } from '../model/tokenizer';
import type { Cache } from '../store/cache';
import { memberTimeline } from './population';
import { ensureRunMembers, resolveMember } from './run-members';
import { requireCompleteRun } from './run-queries';

const SECONDS_PER_YEAR = 365.25 * 86_400;
/** The patient view lists at most this many recorded events, the most recent ones. */
export const MAX_TIMELINE_EVENTS = 2_000;

type PageRequest = RequestOf<'forecast.members'>;

function codeId(cache: Cache, code: string): number | null {
  const row = cache.prepare('SELECT id FROM codes WHERE code = ?').get(code) as
    { id: number } | undefined;
  return row?.id ?? null;
}

/**
 * Member orders already sorted, per cache, by run, sort and filter. A run's
 * results never change once complete, so an order stays valid; scrolling then
 * reads one page of rows by subject id instead of sorting the run again.
 */
const orders = new WeakMap<Cache, Map<string, (number | bigint)[]>>();
const MAX_ORDERS = 4;

/** The subject ids of a run's members that pass the filter, in the requested order. */
function sortedMembers(cache: Cache, request: PageRequest): (number | bigint)[] {
  const key = JSON.stringify({ runId: request.runId, sort: request.sort, filter: request.filter });
  let perCache = orders.get(cache);
  if (!perCache) orders.set(cache, (perCache = new Map()));
  const cached = perCache.get(key);
  if (cached) return cached;

  const run = requireCompleteRun(cache, request.runId);
  const filter = request.filter ?? {};
  // Only the joins the sort and the filter need: each costs one index seek per member.
  const codes: string[] = [];
  for (const code of [request.sort.column === 'risk' ? request.sort.code : undefined, filter.code])
    if (code !== undefined && !codes.includes(code)) codes.push(code);
  const joins = codes.map(
    (_, i) =>
      `LEFT JOIN forecast_results r${i} ON r${i}.run_id = m.run_id AND r${i}.subject_id = m.subject_id AND r${i}.code_id = ?`,
  );
  const risk = (code: string) => `coalesce(r${codes.indexOf(code)}.probability, 0)`;
  const age = `((m.index_time - s.birth_time) / ${SECONDS_PER_YEAR})`;

  const where = ['m.run_id = ?'];
  const whereParams: (string | number)[] = [request.runId];
  if (filter.idPrefix) {
    where.push(`m.pseudonym LIKE ? ESCAPE '\\'`);
    whereParams.push(`${filter.idPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  if (filter.sex) {
    where.push('s.sex = ?');
    whereParams.push(filter.sex);
  }
  if (filter.ageMin !== undefined) {
    where.push(`${age} >= ?`);
    whereParams.push(filter.ageMin);
  }
  if (filter.ageMax !== undefined) {
    where.push(`${age} < ?`);
    whereParams.push(filter.ageMax + 1);
  }
  if (filter.code !== undefined && filter.minRisk !== undefined) {
    where.push(`${risk(filter.code)} >= ?`);
    whereParams.push(filter.minRisk);
  }
  const sortExpression = {
    id: 'm.pseudonym',
    age,
    sex: 's.sex',
    coverage: 'm.coverage',
    risk: request.sort.code !== undefined ? risk(request.sort.code) : 'm.pseudonym',
  }[request.sort.column];
  const needsSubject =
    request.sort.column === 'age' ||
    request.sort.column === 'sex' ||
    filter.sex !== undefined ||
    filter.ageMin !== undefined ||
    filter.ageMax !== undefined;

  const rows = cache
    .prepare(
      `SELECT m.subject_id AS subjectId FROM forecast_members m
       ${needsSubject ? 'LEFT JOIN subjects s ON s.dataset_id = ? AND s.subject_id = m.subject_id' : ''}
       ${joins.join('\n')}
       WHERE ${where.join(' AND ')}
       ORDER BY ${sortExpression} ${request.sort.descending ? 'DESC' : 'ASC'} NULLS LAST, m.pseudonym`,
    )
    .pluck()
    .safeIntegers(true)
    .all(
      ...(needsSubject ? [run.datasetId] : []),
      ...codes.map((code) => codeId(cache, code) ?? -1),
      ...whereParams,
    ) as bigint[];
  const ids = rows.map(narrow);
  if (perCache.size >= MAX_ORDERS) perCache.delete(perCache.keys().next().value!);
  perCache.set(key, ids);
  return ids;
}

function narrow(id: bigint): number | bigint {
  return id <= BigInt(Number.MAX_SAFE_INTEGER) && id >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(id)
    : id;
}

/** One page of members, sorted and filtered by the database. */
export function memberPage(cache: Cache, request: PageRequest, threshold: number): MemberPage {
  const run = requireCompleteRun(cache, request.runId);
  ensureRunMembers(cache, request.runId);
  const ids = sortedMembers(cache, request);
  const page = ids.slice(request.offset, request.offset + request.limit);

  const memberOf = cache.prepare(
    `SELECT m.pseudonym AS id, (m.index_time - s.birth_time) / ${SECONDS_PER_YEAR} AS age,
            s.sex AS sex, m.coverage AS coverage
       FROM forecast_members m LEFT JOIN subjects s ON s.dataset_id = ? AND s.subject_id = m.subject_id
      WHERE m.run_id = ? AND m.subject_id = ?`,
  );
  const riskOf = cache
    .prepare(
      'SELECT probability FROM forecast_results WHERE run_id = ? AND subject_id = ? AND code_id = ?',
    )
    .pluck();
  const riskCodeIds = request.riskCodes.map((code) => codeId(cache, code));

  return {
    total: maskCount(ids.length, threshold),
    pageTotal: ids.length,
    rows: page.map((subjectId): MemberRow => {
      const row = memberOf.get(run.datasetId, request.runId, subjectId) as {
        id: string;
        age: number | null;
        sex: string | null;
        coverage: number | null;
      };
      return {
        id: row.id,
        age: row.age === null ? null : Math.floor(row.age),
        sex: row.sex,
        coverage: row.coverage,
        // A code without a stored risk for this member was forecast under MIN_REPORTED_PROBABILITY.
        risks: riskCodeIds.map((id) =>
          id === null
            ? null
            : ((riskOf.get(request.runId, subjectId, id) as number | undefined) ?? 0),
        ),
      };
    }),
  };
}

/** The swimlane a code belongs to. */
export function timelineCategory(code: string): TimelineCategory {
  if (code.startsWith('GP//')) return 'consultation';
  const mapped = modelCode(code);
  const kind = mapped === null ? 'event' : tokenKind(mapped);
  if (kind === 'condition' || kind === 'admission' || kind === 'vaccine' || kind === 'death')
    return kind;
  if (kind === 'lifestyle') return 'lifestyle';
  return 'other';
}

/**
 * One member: the recorded timeline up to the index date, the stored risks,
 * and `trajectories` futures sampled again with the run's seed. The random
 * stream of sample i depends only on the seed, the subject and i, so sample i
 * here is the run's sample i of this member.
 */
export async function memberView(
  cache: Cache,
  request: RequestOf<'forecast.member'>,
  loadRunModel: (folder: string) => Promise<LoadedModel>,
): Promise<MemberView> {
  const run = requireCompleteRun(cache, request.runId);
  ensureRunMembers(cache, request.runId);
  const member = resolveMember(cache, request.runId, request.memberId);
  if (!member)
    throw new HorizonError(
      'forecast_member_not_found',
      `No member ${request.memberId} in forecast run ${request.runId}.`,
      { memberId: request.memberId, runId: request.runId },
    );
  const subject = cache
    .prepare(
      'SELECT sex, birth_time AS birthTime FROM subjects WHERE dataset_id = ? AND subject_id = ?',
    )
    .get(run.datasetId, member.subjectId) as { sex: string | null; birthTime: number | null };

  const recorded = (
    cache
      .prepare(
        `SELECT e.time AS time, c.code AS code, c.description AS description
           FROM events e JOIN codes c ON c.id = e.code_id
          WHERE e.dataset_id = ? AND e.subject_id = ? AND e.time IS NOT NULL AND e.time <= ?
          ORDER BY e.time DESC LIMIT ?`,
      )
      .all(run.datasetId, member.subjectId, member.indexTime, MAX_TIMELINE_EVENTS) as {
      time: number;
      code: string;
      description: string | null;
    }[]
  )
    .reverse()
    .map((event) => ({
      date: new Date(event.time * 1000).toISOString().slice(0, 10),
      code: event.code,
      description: event.description,
      category: timelineCategory(event.code),
    }));

  const risks = (
    cache
      .prepare(
        `SELECT c.code AS code, c.description AS description, r.probability AS probability,
                r.ci_low AS low, r.ci_high AS high, r.expected_days AS expectedDays
           FROM forecast_results r JOIN codes c ON c.id = r.code_id
          WHERE r.run_id = ? AND r.subject_id = ? ORDER BY r.probability DESC`,
      )
      .all(request.runId, member.subjectId) as MemberView['risks']
  ).map((r) => ({ ...r, low: r.low ?? 0, high: r.high ?? 1 }));

  let trajectories: MemberView['trajectories'] = [];
  let trajectoryError: MemberView['trajectoryError'] = null;
  if (request.trajectories > 0) {
    try {
      trajectories = await resample(cache, run, member, request.trajectories, loadRunModel);
    } catch (error) {
      trajectoryError = toErrorPayload(error);
    }
  }

  return {
    id: request.memberId,
    age:
      subject.birthTime === null
        ? null
        : Math.floor((member.indexTime - subject.birthTime) / SECONDS_PER_YEAR),
    sex: subject.sex,
    coverage: member.coverage,
    indexDate: new Date(member.indexTime * 1000).toISOString().slice(0, 10),
    horizonDays: run.horizonDays,
    recorded,
    trajectories,
    trajectoryError,
    risks,
  };
}

async function resample(
  cache: Cache,
  run: ReturnType<typeof requireCompleteRun>,
  member: { subjectId: bigint; indexTime: number },
  count: number,
  loadRunModel: (folder: string) => Promise<LoadedModel>,
): Promise<MemberView['trajectories']> {
  const folder = run.parsed.modelFolder;
  if (!folder) throw new HorizonError('model_invalid', 'The run does not record its model folder.');
  const model = await loadRunModel(folder);
  if (model.hash !== run.modelHash)
    throw new HorizonError(
      'model_invalid',
      `The model in ${folder} changed since run ${run.id} (sha256 ${model.hash} instead of ${run.modelHash}); its trajectories cannot be sampled again.`,
    );
  // Runs record their budget; the oldest ones, which do not, used half the context.
  const maxNewTokens =
    run.parsed.maxNewTokens ?? Math.max(8, Math.floor(model.card.context_length / 2));
  const subjectId =
    member.subjectId <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(member.subjectId)
      : member.subjectId;
  const timeline = memberTimeline(cache, run.datasetId, {
    subjectId,
    indexTime: member.indexTime,
  });
  const sequence = tokenizeTimeline(timeline, model.vocabulary, {
    until: member.indexTime,
    noEventYears: model.card.tokenizer.no_event_years,
  });
  if (sequence === null) return [];
  const history = truncateSequence(
    sequence,
    model.card.context_length - maxNewTokens,
    model.vocabulary,
  );
  const randoms = Array.from(
    { length: count },
    (_, sample) => new Random(run.seed, subjectKey(subjectId), sample),
  );
  const [sampled] = await sampleTrajectories(model, {
    histories: [history],
    randoms: [randoms],
    horizonYears: run.horizonDays / 365.25,
    maxNewTokens,
    decoder: run.parsed.decoder ?? 'cached',
  });
  return sampled!.map((trajectory) => ({
    died: trajectory.died,
    events: trajectory.tokens
      .map((token, i) => ({ token, days: trajectory.delays[i]! * 365.25 }))
      .filter(({ token }) => model.vocabulary.kind(token) !== 'no_event')
      .map(({ token, days }) => {
        const entry = model.vocabulary.tokens[token]!;
        return {
          days,
          code: entry.code,
          description: entry.description,
          category: timelineCategory(entry.code),
        };
      }),
  }));
}
