/**
 * Seeded uniform generator for trajectory sampling: sfc32 (Chris
 * Doty-Humphrey's Small Fast Counter) seeded through splitmix32. Each
 * trajectory gets its own stream, keyed by run seed, subject and sample index,
 * so results do not depend on how patients are batched.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(...keys: number[]) {
    let state = 0x6a09e667;
    const splitmix32 = (): number => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    for (const key of keys)
      state = (state ^ Math.imul(splitmix32() ^ (key >>> 0), 0x27d4eb2d)) >>> 0;
    this.a = splitmix32();
    this.b = splitmix32();
    this.c = splitmix32();
    this.d = splitmix32();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  private nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }
}

/** 32-bit key of a subject id, for seeding (ids beyond 2^32 are folded). */
export function subjectKey(subjectId: number | bigint): number {
  const id = BigInt(subjectId);
  return Number(BigInt.asUintN(32, id ^ (id >> 32n)));
}
