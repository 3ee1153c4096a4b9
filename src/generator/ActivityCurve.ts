import { HOURLY_WEIGHTS, WEEKEND_WEIGHT } from "./rates.ts";

const HOUR_US = 3_600_000_000;
const DAY_US = 24 * HOUR_US;

/**
 * Traffic over the generated date range: a piecewise-constant intensity per UTC hour
 * (daily cycle, quieter weekends). `at(m)` maps a share m in [0, 1] of all traffic to the
 * instant by which that share has happened, so a chunk holding events [a, b) of N covers
 * the instants at(a/N) to at(b/N) and each chunk can be generated on its own.
 */
export class ActivityCurve {
  readonly startMicros: number;
  readonly endMicros: number;
  private readonly cumulative: Float64Array;
  private readonly weights: Float64Array;

  constructor(startMicros: number, days: number) {
    this.startMicros = startMicros;
    this.endMicros = startMicros + days * DAY_US;
    const hours = days * 24;
    this.weights = new Float64Array(hours);
    this.cumulative = new Float64Array(hours + 1);
    const startDay = Math.floor(startMicros / DAY_US);
    for (let h = 0; h < hours; h++) {
      const day = startDay + Math.floor(h / 24);
      // 1970-01-01 was a Thursday: (day + 4) % 7 gives 0 = Sunday, 6 = Saturday.
      const weekday = (((day + 4) % 7) + 7) % 7;
      const w = HOURLY_WEIGHTS[h % 24] * (weekday === 0 || weekday === 6 ? WEEKEND_WEIGHT : 1);
      this.weights[h] = w;
      this.cumulative[h + 1] = this.cumulative[h] + w;
    }
  }

  /** Whole microseconds at which share m of the traffic has happened. */
  at(m: number): number {
    const cum = this.cumulative;
    const hours = this.weights.length;
    const target = Math.min(Math.max(m, 0), 1) * cum[hours];
    let lo = 0;
    let hi = hours - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (cum[mid] <= target) lo = mid;
      else hi = mid - 1;
    }
    const within = Math.min((target - cum[lo]) / this.weights[lo], 1);
    return Math.min(this.startMicros + Math.floor((lo + within) * HOUR_US), this.endMicros - 1);
  }
}
