import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { NO_EVENT_CODE, PADDING_CODE } from './code-mapping';
import { createSession, type ExecutionProvider, type SessionOptions } from './execution-providers';
import { modelCardSchema, type ModelCard } from './model-card';
import { ModelError } from './model-error';
import { Vocabulary } from './vocabulary';

export const MODEL_FILE = 'model.onnx';
export const CACHED_MODEL_FILE = 'model-cached.onnx';
/** Optional: one token per row over a fixed-capacity cache (models/training/step_model.py). */
export const STEP_MODEL_FILE = 'model-step.onnx';
export const CARD_FILE = 'model-card.json';

/** A model folder whose files match its card and whose graphs follow the model contract. */
export interface LoadedModel {
  folder: string;
  card: ModelCard;
  vocabulary: Vocabulary;
  /** sha256 of model.onnx, recorded with every forecast run. */
  hash: string;
  /** Full-sequence model: tokens, ages -> logits. */
  full: ort.InferenceSession;
  /** KV-cached model: adds past_key_values.{i}.key|value inputs and present.{i}.key|value outputs. */
  cached: ort.InferenceSession;
  /**
   * Step graph, when the card lists one: inputs tokens, ages, past_length and
   * past_key_values.{i}.key|value of a fixed capacity; outputs logits and only the
   * new position's new_key_values.{i}.key|value. Null for folders without it.
   */
  step: ort.InferenceSession | null;
  provider: ExecutionProvider;
  providerFailures: { provider: ExecutionProvider; reason: string }[];
  release(): Promise<void>;
}

/**
 * Load a model folder: read and validate its card, verify the sha256 of every
 * file the card lists, open both graphs with the first execution provider
 * that works and check their inputs and outputs against the contract.
 */
export async function loadModel(
  folder: string,
  options: SessionOptions = {},
): Promise<LoadedModel> {
  const root = resolve(folder);
  const card = readCard(root);
  const vocabulary = checkVocabulary(root, card);
  for (const name of [MODEL_FILE, CACHED_MODEL_FILE]) {
    if (!card.files[name]) throw new ModelError(root, `${CARD_FILE} lists no sha256 for ${name}`);
  }
  const hashes = await verifyFiles(root, card);

  const full = await createSession(join(root, MODEL_FILE), options);
  // The cached graph goes to the provider that took the full one, so both run in one place.
  const cached = await createSession(join(root, CACHED_MODEL_FILE), {
    ...options,
    providers: [full.provider],
  });
  const step = card.files[STEP_MODEL_FILE]
    ? await createSession(join(root, STEP_MODEL_FILE), { ...options, providers: [full.provider] })
    : null;
  const model: LoadedModel = {
    folder: root,
    card,
    vocabulary,
    hash: hashes[MODEL_FILE]!,
    full: full.session,
    cached: cached.session,
    step: step?.session ?? null,
    provider: full.provider,
    providerFailures: full.failures,
    release: async () => {
      await full.session.release();
      await cached.session.release();
      await step?.session.release();
    },
  };
  try {
    checkContract(model);
    await checkLogitsShape(model);
  } catch (error) {
    await model.release();
    throw error;
  }
  return model;
}

function readCard(root: string): ModelCard {
  const path = join(root, CARD_FILE);
  if (!existsSync(path))
    throw new ModelError(root, `${CARD_FILE} not found; is this a model folder?`);

  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ModelError(root, `${CARD_FILE} is not valid JSON (${(error as Error).message})`);
  }
  const parsed = modelCardSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(card)'}: ${issue.message}`);
    throw new ModelError(root, `${CARD_FILE} is invalid: ${problems.join('; ')}`);
  }
  return parsed.data;
}

function checkVocabulary(root: string, card: ModelCard): Vocabulary {
  const codes = card.vocabulary.map((token) => token.code);
  if (codes[0] !== PADDING_CODE)
    throw new ModelError(root, `vocabulary token 0 must be ${PADDING_CODE} (found ${codes[0]})`);
  if (!codes.includes(NO_EVENT_CODE))
    throw new ModelError(root, `vocabulary has no ${NO_EVENT_CODE} token`);
  const duplicate = codes.find((code, i) => codes.indexOf(code) !== i);
  if (duplicate !== undefined)
    throw new ModelError(root, `vocabulary lists ${duplicate} more than once`);
  return new Vocabulary(card.vocabulary);
}

async function verifyFiles(root: string, card: ModelCard): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const [name, { sha256 }] of Object.entries(card.files)) {
    const path = join(root, name);
    if (!existsSync(path))
      throw new ModelError(root, `${name} is listed in ${CARD_FILE} but not found`);
    const actual = await sha256File(path);
    if (actual !== sha256)
      throw new ModelError(
        root,
        `${name} does not match its sha256 in ${CARD_FILE} (expected ${sha256}, found ${actual}); ` +
          'the file was changed or damaged, so copy the model folder again',
      );
    hashes[name] = actual;
  }
  return hashes;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Names of the key/value cache tensors of a model with `layers` layers. */
export function cacheNames(
  layers: number,
  prefix: 'past_key_values' | 'present' | 'new_key_values',
): string[] {
  const names: string[] = [];
  for (let i = 0; i < layers; i++) names.push(`${prefix}.${i}.key`, `${prefix}.${i}.value`);
  return names;
}

function checkContract(model: LoadedModel): void {
  const layers = model.card.architecture.layers;
  expectNames(model.folder, MODEL_FILE, 'inputs', model.full.inputNames, ['tokens', 'ages']);
  expectNames(model.folder, MODEL_FILE, 'outputs', model.full.outputNames, ['logits']);
  expectNames(model.folder, CACHED_MODEL_FILE, 'inputs', model.cached.inputNames, [
    'tokens',
    'ages',
    ...cacheNames(layers, 'past_key_values'),
  ]);
  expectNames(model.folder, CACHED_MODEL_FILE, 'outputs', model.cached.outputNames, [
    'logits',
    ...cacheNames(layers, 'present'),
  ]);

  if (model.step) {
    expectNames(model.folder, STEP_MODEL_FILE, 'inputs', model.step.inputNames, [
      'tokens',
      'ages',
      'past_length',
      ...cacheNames(layers, 'past_key_values'),
    ]);
    expectNames(model.folder, STEP_MODEL_FILE, 'outputs', model.step.outputNames, [
      'logits',
      ...cacheNames(layers, 'new_key_values'),
    ]);
  }

  for (const session of [model.full, model.cached, ...(model.step ? [model.step] : [])]) {
    const types = new Map(
      session.inputMetadata.map((input) => [
        input.name,
        input.isTensor ? input.type : 'not a tensor',
      ]),
    );
    if (types.get('tokens') !== 'int64' || types.get('ages') !== 'float32')
      throw new ModelError(
        model.folder,
        `inputs must be tokens int64 and ages float32 (found tokens ${types.get('tokens')}, ages ${types.get('ages')})`,
      );
  }
}

function expectNames(
  folder: string,
  file: string,
  what: string,
  actual: readonly string[],
  expected: string[],
): void {
  const unknown = actual.filter((name) => !expected.includes(name));
  const missing = expected.filter((name) => !actual.includes(name));
  if (unknown.length === 0 && missing.length === 0) return;
  const parts = [
    unknown.length > 0 ? `unknown ${what} ${unknown.join(', ')}` : null,
    missing.length > 0 ? `missing ${what} ${missing.join(', ')}` : null,
  ].filter(Boolean);
  throw new ModelError(
    folder,
    `${file} does not follow the model contract: ${parts.join('; ')} (expected ${expected.join(', ')})`,
  );
}

/** Run one token through the full graph: its logits must have one entry per vocabulary token. */
async function checkLogitsShape(model: LoadedModel): Promise<void> {
  const output = await model.full.run({
    tokens: new ort.Tensor('int64', BigInt64Array.from([BigInt(model.vocabulary.noEvent)]), [1, 1]),
    ages: new ort.Tensor('float32', Float32Array.from([40]), [1, 1]),
  });
  const dims = output.logits!.dims;
  if (dims.length !== 3 || dims[2] !== model.vocabulary.size)
    throw new ModelError(
      model.folder,
      `logits have shape [${dims.join(', ')}] but the vocabulary has ${model.vocabulary.size} tokens`,
    );
}
