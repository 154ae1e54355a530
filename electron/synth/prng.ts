/** The seeded pseudo-random number generator of the synthetic data generators. */

/** sfc32 (Chris Doty-Humphrey's Small Fast Counter), seeded through splitmix32. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * Derive an independent stream from a key of 32-bit words, e.g. (seed,
   * person index, stream kind). The words are hashed into all 128 bits of
   * state, so a million people's streams do not collide as 32-bit seeds would.
   */
  static derive(...key: number[]): Prng {
    const prng = new Prng(0);
    const words = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a];
    for (let lane = 0; lane < 4; lane++) {
      let h = words[lane]! ^ key.length;
      for (const word of key) {
        h = Math.imul(h ^ (word >>> 0), 0x9e3779b1);
        h ^= h >>> 15;
        h = Math.imul(h, 0x85ebca6b);
        h ^= h >>> 13;
      }
      words[lane] = Math.imul(h ^ (h >>> 16), 0xc2b2ae35) >>> 0;
    }
    prng.a = words[0]!;
    prng.b = words[1]!;
    prng.c = words[2]!;
    prng.d = words[3]! | 1;
    for (let i = 0; i < 12; i++) prng.nextUint32();
    return prng;
  }

  constructor(seed: number) {
    let state = seed >>> 0;
    const splitmix32 = (): number => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix32();
    this.b = splitmix32();
    this.c = splitmix32();
    this.d = splitmix32();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [min, max], both inclusive. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal deviate (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Exponential deviate with mean 1. */
  exponential(): number {
    return -Math.log(1 - this.next());
  }

  /** Index into a list of n items, skewed towards the start like a Zipf law (exponent ~3). */
  skewedIndex(n: number): number {
    const u = this.next();
    return Math.floor(n * u * u * u);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}
