import { boxMemory } from "../../profile/boxMemory.ts";

/**
 * DuckDB's memory_limit when the run sets none: half of what the box allows (the machine,
 * or the cgroup that confines the process). DuckDB's own default is 80 %, but its limit
 * covers only the buffer manager: the Node process, the maxmind reader and allocations
 * outside the buffer manager come on top: in a 400 MiB box a 1M-event run was killed at
 * 320 MiB (80 %) and completed at this rule's 256 MiB, spilling to the run's
 * temp_directory (docs/engines.md, "Memory").
 */
export function defaultMemoryLimit(box = boxMemory().bytes): string {
  const mib = Math.max(256, Math.floor(box / 2 / 1048576));
  return `${mib}MiB`;
}
