/**
 * The models the app offers: folders with a model-card.json under the models
 * directory. That is the repository's models/ in development and
 * process.resourcesPath/models in a packaged app (electron-builder copies it
 * there); HORIZON_MODELS_DIR overrides both.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelCardView, ModelSummary } from '../../shared/forecast-api';
import { HorizonError } from '../../shared/errors';
import { CARD_FILE, loadModel, type LoadedModel } from '../model/model-folder';
import { modelCardSchema, type ModelCard } from '../model/model-card';

export function modelsDirectory(): string {
  if (process.env.HORIZON_MODELS_DIR) return resolve(process.env.HORIZON_MODELS_DIR);
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged && existsSync(join(packaged, 'models'))) return join(packaged, 'models');
  // From source (electron/forecast) or the built bundle (out/main): the repository root contains models/.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'models')) && existsSync(join(dir, 'package.json')))
      return join(dir, 'models');
    dir = dirname(dir);
  }
  return resolve('models');
}

export function modelFolder(modelId: string): string {
  const folder = join(modelsDirectory(), modelId);
  if (!/^[A-Za-z0-9._-]+$/.test(modelId) || !existsSync(join(folder, CARD_FILE)))
    throw new HorizonError(
      'model_not_found',
      `No model ${modelId} in ${modelsDirectory()}; copy its folder there or choose another model.`,
      {
        model: modelId,
      },
    );
  return folder;
}

function readCard(folder: string): ModelCard | null {
  try {
    const parsed = modelCardSchema.safeParse(
      JSON.parse(readFileSync(join(folder, CARD_FILE), 'utf8')),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function summary(id: string, card: ModelCard): ModelSummary {
  return {
    id,
    cardId: card.id,
    version: card.version,
    description: card.description,
    vocabularySize: card.vocabulary.length,
    contextLength: card.context_length,
    status: typeof card.status === 'string' ? card.status : null,
  };
}

/** Model folders with a valid card; a folder whose card is missing or invalid is not listed. */
export function listModels(): ModelSummary[] {
  const root = modelsDirectory();
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory())
    .flatMap((name) => {
      const card = existsSync(join(root, name, CARD_FILE)) ? readCard(join(root, name)) : null;
      return card ? [summary(name, card)] : [];
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Models loaded in the main process, for re-sampling a member's trajectories
 * and for the model card's execution provider. Loading verifies every hash.
 */
export class ModelCache {
  private readonly loaded = new Map<string, Promise<LoadedModel>>();

  get(modelId: string): Promise<LoadedModel> {
    const folder = modelFolder(modelId);
    let model = this.loaded.get(folder);
    if (!model) {
      model = loadModel(folder);
      this.loaded.set(folder, model);
      model.catch(() => this.loaded.delete(folder));
    }
    return model;
  }

  /** Load the model of a folder path recorded with a run. */
  getByFolder(folder: string): Promise<LoadedModel> {
    return this.get(folder.split(/[\\/]/).pop()!);
  }

  async card(modelId: string): Promise<ModelCardView> {
    const folder = modelFolder(modelId);
    const card = readCard(folder);
    if (!card)
      throw new HorizonError(
        'model_not_found',
        `${join(folder, CARD_FILE)} is not a valid model card.`,
        {
          model: modelId,
        },
      );
    let model: LoadedModel | null = null;
    let loadError: string | null = null;
    try {
      model = await this.get(modelId);
    } catch (error) {
      loadError = (error as Error).message;
    }
    return {
      ...summary(modelId, card),
      created: typeof card.created === 'string' ? card.created : null,
      architecture: Object.fromEntries(
        Object.entries(card.architecture).filter(
          (entry): entry is [string, string | number] =>
            typeof entry[1] === 'string' || typeof entry[1] === 'number',
        ),
      ),
      vocabulary: card.vocabulary.map((token) => ({
        code: token.code,
        kind: token.kind,
        description: token.description,
        count: token.count ?? null,
        chronic: token.chronic === true,
      })),
      trainingData: card.training_data ?? {},
      metrics: card.metrics ?? {},
      notes: typeof card.notes === 'string' ? card.notes : null,
      // Loading succeeds only when every listed file matches its sha256.
      files: Object.entries(card.files).map(([name, { sha256 }]) => ({
        name,
        sha256,
        verified: model !== null,
      })),
      executionProvider: model?.provider ?? null,
      providerFailures: model?.providerFailures ?? [],
      loadError,
    };
  }

  async close(): Promise<void> {
    for (const model of this.loaded.values()) {
      try {
        await (await model).release();
      } catch {
        // A model that failed to load has nothing to release.
      }
    }
    this.loaded.clear();
  }
}
