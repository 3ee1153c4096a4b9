/**
 * CPU seconds of the table fingerprint of a warehouse namespace (events, sessions, rejects of
 * the catalog's current snapshot), by either implementation: `fast` (src/verify/tableFingerprint.ts,
 * all in DuckDB SQL) or `reference` (src/verify/tableFingerprintReference.ts, one row at a time
 * in JavaScript). One JSON line per table on stdout, then a total line: the fingerprint, the
 * process CPU seconds it took (`process.cpuUsage()`, all threads) and the load average after.
 *
 *   tsx bench/fingerprintCpu.ts --warehouse DIR --namespace duckdb --impl fast [--threads 2]
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { localFileIO } from "../src/iceberg/fileIO.ts";
import { loadTable } from "../src/iceberg/loadTable.ts";
import { planFiles } from "../src/iceberg/scanTable.ts";
import { SqlCatalog } from "../src/iceberg/SqlCatalog.ts";
import { TABLES, type TableName } from "../src/lakehouse/tables.ts";
import { tableFingerprint } from "../src/verify/tableFingerprint.ts";
import { tableFingerprintReference } from "../src/verify/tableFingerprintReference.ts";

const { values: opt } = parseArgs({
  options: {
    warehouse: { type: "string" },
    namespace: { type: "string" },
    impl: { type: "string", default: "fast" },
    threads: { type: "string", default: "2" },
    tables: { type: "string", default: "events,sessions,rejects" },
  },
});
if (opt.warehouse === undefined || opt.namespace === undefined) {
  throw new Error("fingerprintCpu: --warehouse DIR and --namespace NS are required");
}
if (opt.impl !== "fast" && opt.impl !== "reference") {
  throw new Error(`fingerprintCpu: --impl must be fast or reference, got ${opt.impl}`);
}
const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const round = (s: number): number => Math.round(s * 100) / 100;

const catalog = new SqlCatalog(opt.warehouse);
const started = cpuSeconds();
try {
  for (const name of opt.tables.split(",") as TableName[]) {
    const { metadata } = await loadTable(catalog, localFileIO, opt.namespace, name);
    const files = (await planFiles(localFileIO, metadata)).files.map((f) => f.file_path);
    const before = cpuSeconds();
    const t0 = performance.now();
    const fingerprint =
      opt.impl === "fast"
        ? await tableFingerprint(TABLES[name], files, { threads: Number(opt.threads) })
        : await tableFingerprintReference(TABLES[name], files);
    console.log(
      JSON.stringify({
        impl: opt.impl,
        table: name,
        files: files.length,
        fingerprint,
        cpu_seconds: round(cpuSeconds() - before),
        wall_seconds: round((performance.now() - t0) / 1000),
        load_avg_after: loadavg().map((l) => round(l)),
      }),
    );
  }
  console.log(JSON.stringify({ impl: opt.impl, cpu_seconds_total: round(cpuSeconds() - started) }));
} finally {
  catalog.close();
}
