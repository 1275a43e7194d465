import { arch, cpus, release, totalmem, type } from 'node:os';
import { findPython } from './python.js';

/** The machine a report was measured on. */
export interface Environment {
  node: string;
  platform: string;
  arch: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  /** `python3 --version` output, or null when python3 is not available. */
  python: string | null;
}

export function captureEnvironment(): Environment {
  const cpuList = cpus();
  return {
    node: process.version,
    platform: `${type()} ${release()}`,
    arch: arch(),
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    python: findPython()?.version ?? null,
  };
}
