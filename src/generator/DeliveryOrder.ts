/** Buckets up to this size are sorted by insertion; larger ones (late rows pile up) by sort(). */
const INSERTION_SORT_MAX = 48;

/**
 * Orders a chunk's events by delivery key, ties by index: a bucket sort over the chunk's
 * window (keys are spread evenly by construction), insertion sort inside each bucket. The
 * scratch arrays are allocated once per generator and reused for every chunk.
 */
export class DeliveryOrder {
  private readonly order: Uint32Array;
  private readonly bucketOf: Uint32Array;
  private readonly bucketStarts: Uint32Array;
  private readonly bucketFill: Uint32Array;

  constructor(capacity: number) {
    this.order = new Uint32Array(capacity);
    this.bucketOf = new Uint32Array(capacity);
    this.bucketStarts = new Uint32Array(capacity + 1);
    this.bucketFill = new Uint32Array(capacity);
  }

  /** Indices 0..n-1 of `keys` in delivery order (a view of reused memory). */
  sort(keys: Float64Array, n: number, windowStart: number, windowEnd: number): Uint32Array {
    const bucketOf = this.bucketOf;
    const starts = this.bucketStarts;
    const order = this.order;
    const buckets = Math.max(1, n);
    const scale = buckets / Math.max(1, windowEnd - windowStart);
    starts.fill(0, 0, buckets + 1);
    for (let i = 0; i < n; i++) {
      let b = Math.floor((keys[i] - windowStart) * scale);
      if (b < 0) b = 0;
      else if (b >= buckets) b = buckets - 1;
      bucketOf[i] = b;
      starts[b + 1]++;
    }
    for (let b = 0; b < buckets; b++) starts[b + 1] += starts[b];
    const fill = this.bucketFill;
    fill.set(starts.subarray(0, buckets));
    for (let i = 0; i < n; i++) order[fill[bucketOf[i]]++] = i;
    for (let b = 0; b < buckets; b++) {
      const lo = starts[b];
      const hi = starts[b + 1];
      if (hi - lo < 2) continue;
      if (hi - lo > INSERTION_SORT_MAX) {
        // Late rows past the window end pile up in the last bucket.
        order.subarray(lo, hi).sort((x, y) => keys[x] - keys[y] || x - y);
        continue;
      }
      for (let i = lo + 1; i < hi; i++) {
        const v = order[i];
        const kv = keys[v];
        let j = i - 1;
        while (j >= lo && keys[order[j]] > kv) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = v;
      }
    }
    return order.subarray(0, n);
  }
}
