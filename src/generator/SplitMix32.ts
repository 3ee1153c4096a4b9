/**
 * A small counter-based PRNG on 32-bit integers (SplitMix-style increment plus the
 * "lowbias32" finalizer). Fast in V8 (Math.imul only, no BigInt) and fully deterministic;
 * never Math.random, so the same arguments give a byte-identical file.
 */
export class SplitMix32 {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  reseed(seed: number): void {
    this.state = seed >>> 0;
  }

  /** Next unsigned 32-bit integer. */
  next(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    return SplitMix32.mix(this.state);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** Uniform integer in [0, n) for n <= 2^32 (multiply-shift, no modulo bias worth noting). */
  below(n: number): number {
    return Math.floor((this.next() / 4294967296) * n);
  }

  /** Bijective 32-bit mix (lowbias32): distinct inputs give distinct outputs. */
  static mix(x: number): number {
    x ^= x >>> 16;
    x = Math.imul(x, 0x7feb352d);
    x ^= x >>> 15;
    x = Math.imul(x, 0x846ca68b);
    x ^= x >>> 16;
    return x >>> 0;
  }

  /** Hash of two 32-bit values. */
  static hash2(a: number, b: number): number {
    return SplitMix32.mix((SplitMix32.mix(a) + Math.imul(b | 0, 0x9e3779b9)) | 0);
  }

  /** A 32-bit seed from any text or integer seed (FNV-1a of the decimal text, then mixed). */
  static seedFrom(seed: string | number): number {
    const text = String(seed);
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return SplitMix32.mix(h);
  }
}
