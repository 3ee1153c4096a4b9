/** The machine a run or benchmark ran on, for the record (systeminformation). */
export interface HostInventory {
  cpu: string;
  physicalCores: number;
  logicalCores: number;
  memoryBytes: number;
  os: string;
  node: string;
}

export async function hostInventory(): Promise<HostInventory> {
  const si = await import("systeminformation");
  const [cpu, mem, os] = await Promise.all([si.cpu(), si.mem(), si.osInfo()]);
  return {
    cpu: `${cpu.manufacturer} ${cpu.brand}`.trim(),
    physicalCores: cpu.physicalCores,
    logicalCores: cpu.cores,
    memoryBytes: mem.total,
    os: `${os.distro} ${os.release} (${os.kernel})`,
    node: process.version,
  };
}
