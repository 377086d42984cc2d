/**
 * Unit conversions from the manifest's human forms to the neutral model's numbers.
 * Memory suffixes K/M/G are binary like Ki/Mi/Gi: Docker (`--memory 512m`) and both platforms read them so.
 */

const MEMORY_FACTORS: Record<string, number> = {
  "": 1,
  K: 1024, Ki: 1024,
  M: 1024 ** 2, Mi: 1024 ** 2,
  G: 1024 ** 3, Gi: 1024 ** 3,
  T: 1024 ** 4, Ti: 1024 ** 4,
};
const DURATION_FACTORS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** memoryToBytes converts `512Mi`, `1G`, `1048576` to bytes (rounded down); throws on a malformed size. */
export function memoryToBytes(size: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?$/.exec(size);
  if (!match) throw new Error(`malformed memory size '${size}'`);
  return Math.floor(Number(match[1]) * MEMORY_FACTORS[match[2] ?? ""]!);
}

/** cpuToCores converts `0.5`, `2`, `500m` or a number to cores; throws on a malformed value. */
export function cpuToCores(cpu: string | number): number {
  if (typeof cpu === "number") return cpu;
  if (cpu.endsWith("m")) return Number(cpu.slice(0, -1)) / 1000;
  const cores = Number(cpu);
  if (!Number.isFinite(cores)) throw new Error(`malformed cpu '${cpu}'`);
  return cores;
}

/** durationToMs converts `30s`, `1m30s`, `250ms` to milliseconds; throws on a malformed duration. */
export function durationToMs(duration: string): number {
  const parts = [...duration.matchAll(/([0-9]+)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== duration) throw new Error(`malformed duration '${duration}'`);
  return parts.reduce((total, p) => total + Number(p[1]) * DURATION_FACTORS[p[2]!]!, 0);
}
