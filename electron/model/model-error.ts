/** A model folder that cannot be used: missing or changed files, or a card or graph outside the model contract. */
export class ModelError extends Error {
  constructor(
    readonly folder: string,
    problem: string,
  ) {
    super(`Model ${folder}: ${problem}`);
    this.name = 'ModelError';
  }
}
