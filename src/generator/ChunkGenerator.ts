import type { ChunkConfig } from "./ChunkConfig.ts";
import { CLEAN } from "./dirtyKinds.ts";
import { CHUNK_EVENTS, DUPLICATE_WINDOW } from "./rates.ts";
import { RowRenderer } from "./RowRenderer.ts";
import { SessionSimulator } from "./SessionSimulator.ts";
import { SplitMix32 } from "./SplitMix32.ts";

/** Events above this would repeat event ids: the ids' first 32 bits are a bijection of the index. */
const MAX_EVENTS = 4_000_000_000;

/**
 * Generates chunk k of the clickstream: events [k*CHUNK_EVENTS, ...) of the file, as CSV
 * rows without header. A chunk depends only on the config and k, so chunks can be made in
 * any order or on any worker and concatenated. SessionSimulator draws the chunk's sessions
 * and delivery order, RowRenderer writes the rows; this class runs the two over the chunk's
 * slots and picks what each re-delivery copies.
 */
export class ChunkGenerator {
  readonly chunks: number;
  private readonly cfg: ChunkConfig;
  /** The chunk's generator: duplicate slots, sessions, and which row each re-delivery copies. */
  private readonly rng = new SplitMix32(0);
  private readonly sessions: SessionSimulator;
  private readonly rows: RowRenderer;
  /** Positions of the most recent clean rows (a ring): what a re-delivery may copy. */
  private readonly recent = new Uint32Array(DUPLICATE_WINDOW);

  constructor(cfg: ChunkConfig) {
    if (cfg.events > MAX_EVENTS) {
      throw new Error(`--events ${cfg.events} is above 4e9: event ids are unique on 32 bits.`);
    }
    this.cfg = cfg;
    this.chunks = Math.ceil(cfg.events / CHUNK_EVENTS);
    this.sessions = new SessionSimulator(cfg, this.rng);
    this.rows = new RowRenderer(cfg, this.sessions.delivered);
  }

  /** CSV rows of chunk k, as a list of filled buffers in file order. */
  generate(k: number): Buffer[] {
    const first = k * CHUNK_EVENTS;
    const slots = Math.min(CHUNK_EVENTS, this.cfg.events - first);
    if (slots <= 0) return [];
    const rng = this.rng;
    rng.reseed(SplitMix32.hash2(this.cfg.seed, (k * 2 + 1) | 0));
    this.sessions.simulate(first, slots);
    const { dupSlot, origin } = this.sessions;
    const rows = this.rows;

    rows.begin();
    let next = 0;
    let recentCount = 0;
    for (let s = 0; s < slots; s++) {
      rows.makeRoom();
      if (dupSlot[s] === 1) {
        // With no clean row yet (only at absurd --dirty-rate), re-send the last row, made clean.
        const window = Math.min(recentCount, DUPLICATE_WINDOW);
        const src =
          window > 0
            ? this.recent[(recentCount - 1 - rng.below(window)) % DUPLICATE_WINDOW]
            : next - 1;
        rows.duplicate(first + origin[src], src, rng);
        continue;
      }
      const j = next++;
      if (rows.row(first + origin[j], j, 0, -1) === CLEAN) {
        this.recent[recentCount % DUPLICATE_WINDOW] = j;
        recentCount++;
      }
    }
    return rows.finish();
  }

  /** Gives written batches back for reuse (RowRenderer.recycle). */
  recycle(batches: Uint8Array[]): void {
    this.rows.recycle(batches);
  }
}
