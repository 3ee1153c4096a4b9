// Pure generation speed (no disk): chunks rendered and dropped. Usage:
//   node --import tsx bench/generatorBench.ts [events] [seed]
import { loadSettings } from "../src/config/settings.ts";
import { GeoDb } from "../src/geo/GeoDb.ts";
import { ChunkGenerator } from "../src/generator/ChunkGenerator.ts";
import { chunkConfig } from "../src/generator/generateClickstream.ts";

const events = Number(process.argv[2] ?? 2_000_000);
const seed = process.argv[3] ?? "42";
const geo = GeoDb.open(loadSettings().geoDb);
const t0 = performance.now();
const cfg = chunkConfig({ events, seed, out: "-", format: "csv", geoDbPath: geo.info.path }, geo);
const t1 = performance.now();
const gen = new ChunkGenerator(cfg);
const cpu0 = process.cpuUsage();
let bytes = 0;
for (let k = 0; k < gen.chunks; k++) {
  const batches = gen.generate(k);
  for (const b of batches) bytes += b.length;
  gen.recycle(batches);
}
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    events,
    setupMs: Math.round(t1 - t0),
    generateMs: Math.round(t2 - t1),
    eventsPerSecond: Math.round(events / ((t2 - t1) / 1000)),
    bytesPerRow: +(bytes / events).toFixed(1),
    generateCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    sysMs: Math.round(cpu.system / 1000),
    eventsPerCpuSecond: Math.round(events / ((cpu.user + cpu.system) / 1e6)),
  }),
);
