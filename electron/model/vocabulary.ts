import {
  NO_EVENT_CODE,
  PADDING_CODE,
  isInputOnly,
  tokenKind,
  type TokenKind,
} from './code-mapping';

/** One entry of a model's vocabulary, as stored in its model card. */
export interface VocabularyToken {
  /** MEDS code (or `<pad>` / `<no-event>`) that this token id stands for. */
  code: string;
  kind: TokenKind;
  description: string | null;
  /** Occurrences in the training data, when known. */
  count?: number;
  /** A condition diagnosed once and present from then on; sampling never repeats it. */
  chronic?: boolean;
}

/** Token ids of a model, looked up by model code. Ids are array indices. */
export class Vocabulary {
  readonly tokens: readonly VocabularyToken[];
  readonly padding: number;
  readonly noEvent: number;
  private readonly ids: Map<string, number>;

  constructor(tokens: readonly VocabularyToken[]) {
    this.tokens = tokens;
    this.ids = new Map(tokens.map((token, id) => [token.code, id]));
    this.padding = this.requireId(PADDING_CODE);
    this.noEvent = this.requireId(NO_EVENT_CODE);
  }

  get size(): number {
    return this.tokens.length;
  }

  id(code: string): number | undefined {
    return this.ids.get(code);
  }

  kind(id: number): TokenKind {
    return this.tokens[id]?.kind ?? 'padding';
  }

  /** Whether the model may generate this token (input-only kinds are never sampled). */
  predictable(id: number): boolean {
    return !isInputOnly(this.kind(id));
  }

  private requireId(code: string): number {
    const id = this.ids.get(code);
    if (id === undefined) throw new Error(`the vocabulary has no ${code} token`);
    return id;
  }
}

/**
 * Build a vocabulary from code counts: padding first (id 0), then the
 * no-event token, then every code seen at least `minCount` times, most
 * frequent first, so ids are stable for the same data.
 */
export function buildVocabulary(
  counts: ReadonlyMap<string, number>,
  descriptions: ReadonlyMap<string, string>,
  minCount: number,
): Vocabulary {
  const codes = [...counts.entries()]
    .filter(([, count]) => count >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));

  const tokens: VocabularyToken[] = [
    { code: PADDING_CODE, kind: 'padding', description: 'Padding' },
    { code: NO_EVENT_CODE, kind: 'no_event', description: 'No event (time passing)' },
    ...codes.map(([code, count]) => ({
      code,
      kind: tokenKind(code),
      description: descriptions.get(code) ?? null,
      count,
    })),
  ];
  return new Vocabulary(tokens);
}
