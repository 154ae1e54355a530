/** The forecast, service demand, model and backtest channels. */
import {
  listBacktestReports,
  maskBacktestReport,
  readBacktestReport,
} from '../forecast/backtest-store';
import type { Channel } from '../../shared/api';
import { HorizonError } from '../../shared/errors';
import { checkForecastRequest, ForecastRequestError } from '../forecast/limits';
import { memberPage, memberView } from '../forecast/member-queries';
import { modelFolder, type ModelCache, listModels } from '../forecast/models';
import { demandView, listRuns, riskHistogram, runSummary } from '../forecast/run-queries';
import type { ForecastJobs } from '../jobs/forecast-jobs';
import { disclosureThreshold } from '../policy';
import type { Cache } from '../store/cache';
import type { Handlers } from './router';

type ForecastChannel = Extract<
  Channel,
  `forecast.${string}` | `models.${string}` | `backtest.${string}`
>;

export function forecastHandlers(
  db: Cache,
  jobs: ForecastJobs,
  models: ModelCache,
): Pick<Handlers, ForecastChannel> {
  return {
    'models.list': () => listModels(),
    'models.card': ({ modelId }) => models.card(modelId),
    'forecast.start': async ({ modelId, population, horizonDays, samples, seed }) => {
      try {
        checkForecastRequest({ horizonDays, samples, seed });
      } catch (error) {
        if (error instanceof ForecastRequestError)
          throw new HorizonError('forecast_invalid_request', error.message);
        throw error;
      }
      const jobId = await jobs.start({
        kind: 'forecast',
        modelFolder: modelFolder(modelId),
        population,
        horizonDays,
        samples,
        seed,
      });
      return { jobId };
    },
    'forecast.job': ({ jobId }) => jobs.get(jobId),
    'forecast.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    'forecast.runs': () => listRuns(db, disclosureThreshold()),
    'forecast.summary': ({ runId }) => runSummary(db, runId, disclosureThreshold()),
    'forecast.members': (request) => memberPage(db, request, disclosureThreshold()),
    'forecast.member': (request) => memberView(db, request, (folder) => models.getByFolder(folder)),
    'forecast.histogram': ({ runId, code, bins }) =>
      riskHistogram(db, runId, code, disclosureThreshold(), bins),
    'forecast.demand': ({ runId }) => demandView(db, runId, disclosureThreshold()),
    'backtest.available': () => ({ available: true }),
    'backtest.start': async ({
      modelId,
      cutoff,
      horizonDays,
      samples,
      seed,
      maxPeople,
      withTruth,
    }) => {
      try {
        checkForecastRequest({ horizonDays, samples, seed });
      } catch (error) {
        if (error instanceof ForecastRequestError)
          throw new HorizonError('forecast_invalid_request', error.message);
        throw error;
      }
      const jobId = await jobs.backtests.start({
        modelFolder: modelFolder(modelId),
        cutoff,
        horizonDays,
        samples,
        seed,
        maxPeople,
        withTruth,
      });
      return { jobId };
    },
    'backtest.job': ({ jobId }) => jobs.backtests.get(jobId),
    'backtest.reports': () => listBacktestReports(db),
    'backtest.report': ({ reportId }) =>
      maskBacktestReport(reportId, readBacktestReport(db, reportId), disclosureThreshold()),
    'backtest.cancel': ({ jobId }) => ({ cancelled: jobs.backtests.cancel(jobId) }),
  };
}
