import type { DirtyRates } from "./rates.ts";

/** Everything a chunk depends on; the same config gives the same bytes for every chunk. */
export interface ChunkConfig {
  events: number;
  seed: number;
  users: number;
  startMicros: number;
  days: number;
  rates: DirtyRates;
  /** Client addresses (IpPool.addresses) and the sizes of its three parts. */
  ips: { addresses: string[]; publicV4: number; publicV6: number; private: number };
}
