import { IcebergFileError } from "./errors.ts";
import type { FileIO } from "./fileIO.ts";
import { decodeManifest } from "./manifest.ts";
import { decodeManifestList } from "./manifestList.ts";
import { decodeValue } from "./singleValue.ts";
import { currentSnapshot } from "./tableMetadata.ts";
import {
  ADDED,
  DELETED,
  type DataFile,
  type ManifestEntry,
  type ManifestFile,
  type Snapshot,
  type TableMetadata,
} from "./types.ts";

/** Inclusive range of days since epoch on one day-transform partition field. */
export interface DayRange {
  field: string;
  from: number;
  to: number;
}

export interface ScanPlan {
  snapshot: Snapshot | null;
  files: DataFile[];
  manifestsRead: number;
  manifestsSkipped: number;
  filesSkipped: number;
}

export function findSnapshot(md: TableMetadata, snapshotId?: string): Snapshot | null {
  if (snapshotId === undefined) return currentSnapshot(md);
  const s = md.snapshots.find((x) => x["snapshot-id"] === snapshotId);
  if (!s) {
    const known = md.snapshots.map((x) => x["snapshot-id"]).join(", ") || "none";
    throw new Error(`${md.location}: no snapshot ${snapshotId} (known: ${known})`);
  }
  return s;
}

export async function readManifestList(io: FileIO, snapshot: Snapshot): Promise<ManifestFile[]> {
  const loc = snapshot["manifest-list"];
  return decodeManifestList(await io.read(loc), loc);
}

/** Entries of one manifest with v2 inheritance applied (Iceberg spec, "Sequence Number Inheritance"). */
export async function readManifestEntries(io: FileIO, m: ManifestFile): Promise<ManifestEntry[]> {
  const entries = decodeManifest(await io.read(m.manifest_path), m.manifest_path);
  for (const e of entries) {
    e.snapshot_id ??= m.added_snapshot_id;
    if (e.status === ADDED) {
      e.sequence_number ??= m.sequence_number;
      e.file_sequence_number ??= m.sequence_number;
    }
  }
  return entries;
}

function summaryExcludes(m: ManifestFile, specFields: string[], range: DayRange): boolean {
  const i = specFields.indexOf(range.field);
  const s = m.partitions?.[i];
  if (i < 0 || !s || !s.lower_bound || !s.upper_bound) return false;
  const lo = decodeValue("date", s.lower_bound) as number;
  const hi = decodeValue("date", s.upper_bound) as number;
  return hi < range.from || lo > range.to;
}

/**
 * Live data files of a snapshot (current one by default), pruned by a partition day range:
 * first whole manifests from the manifest list's partition summaries, then single files from
 * their partition tuple.
 */
export async function planFiles(
  io: FileIO,
  md: TableMetadata,
  options: { snapshotId?: string; dayRange?: DayRange } = {},
): Promise<ScanPlan> {
  const snapshot = findSnapshot(md, options.snapshotId);
  const plan: ScanPlan = {
    snapshot,
    files: [],
    manifestsRead: 0,
    manifestsSkipped: 0,
    filesSkipped: 0,
  };
  if (!snapshot) return plan;
  const range = options.dayRange;
  const specs = new Map(md["partition-specs"].map((s) => [s["spec-id"], s]));
  for (const m of await readManifestList(io, snapshot)) {
    if (m.content !== 0) {
      throw new IcebergFileError(
        `${m.manifest_path}: delete manifests are not supported by this reader (table ${md.location})`,
      );
    }
    const specFields = (specs.get(m.partition_spec_id)?.fields ?? []).map((f) => f.name);
    if (range && summaryExcludes(m, specFields, range)) {
      plan.manifestsSkipped++;
      continue;
    }
    plan.manifestsRead++;
    for (const e of await readManifestEntries(io, m)) {
      if (e.status === DELETED) continue;
      const day = range ? e.data_file.partition[range.field] : undefined;
      if (range && typeof day === "number" && (day < range.from || day > range.to)) {
        plan.filesSkipped++;
        continue;
      }
      plan.files.push(e.data_file);
    }
  }
  return plan;
}
