import { warning, type Diagnostic, type PathSegment } from '../diagnostics.js';
import { MIB, parseQuantity } from '../quantity.js';
import type { Container } from '../manifest/index.js';
import type { FargateSize, LambdaSize } from './workflow.js';

/** Lambda and Fargate limits (docs/design.md §3; Fargate's 8 and 16 vCPU sizes included). */
const LAMBDA_LIMITS = {
  minMemoryMiB: 128,
  maxMemoryMiB: 10_240,
  defaultMemoryMiB: 512,
  minEphemeralMiB: 512,
  maxEphemeralMiB: 10_240,
  maxTimeoutSeconds: 900,
  /** Past the pod's deadline, so that the state machine's timeout fires before the Lambda's. */
  deadlineMarginSeconds: 30,
  /** Lambda gives one vCPU per 1,769 MB of memory. */
  memoryMiBPerVcpu: 1_769,
} as const;

/** Fargate task sizes: CPU units → the memory (MiB) each allows. */
const FARGATE_SIZES: ReadonlyArray<{ cpu: number; memoryMiB: readonly number[] }> = [
  { cpu: 256, memoryMiB: [512, 1024, 2048] },
  { cpu: 512, memoryMiB: range(1024, 4096, 1024) },
  { cpu: 1024, memoryMiB: range(2048, 8192, 1024) },
  { cpu: 2048, memoryMiB: range(4096, 16384, 1024) },
  { cpu: 4096, memoryMiB: range(8192, 30720, 1024) },
  { cpu: 8192, memoryMiB: range(16384, 61440, 4096) },
  { cpu: 16384, memoryMiB: range(32768, 122880, 8192) },
];
export const FARGATE_EPHEMERAL_GIB = { min: 21, max: 200 } as const;

export interface Wanted {
  /** MiB; undefined when the container does not say. */
  readonly memoryMiB?: number;
  /** vCPUs. */
  readonly cpu?: number;
  readonly ephemeralMiB?: number;
}

/** Limits win over requests: they are what a container may actually use. */
export function wantedResources(container: Container): Wanted {
  const pick = (name: string): number | undefined => {
    const raw = container.resources?.limits?.[name] ?? container.resources?.requests?.[name];
    return raw === undefined ? undefined : parseQuantity(raw);
  };
  const memory = pick('memory');
  const cpu = pick('cpu');
  const ephemeral = pick('ephemeral-storage');
  return {
    ...(memory !== undefined && { memoryMiB: Math.ceil(memory / MIB) }),
    ...(cpu !== undefined && { cpu }),
    ...(ephemeral !== undefined && { ephemeralMiB: Math.ceil(ephemeral / MIB) }),
  };
}

/**
 * The disk the container needs, with the emptyDirs it mounts: at least the sum of their sizeLimits
 * (docs/design.md §9), which live on the Lambda's /tmp or the Fargate task's ephemeral storage.
 */
export function withVolumeStorage(
  wanted: Wanted,
  mounted: readonly string[],
  volumes: ReadonlyArray<{ readonly name: string; readonly sizeLimitBytes?: number }>,
): Wanted {
  const names = new Set(mounted);
  const bytes = volumes.filter((v) => names.has(v.name)).reduce((sum, v) => sum + (v.sizeLimitBytes ?? 0), 0);
  const volumeMiB = Math.ceil(bytes / MIB);
  if (volumeMiB <= (wanted.ephemeralMiB ?? 0)) return wanted;
  return { ...wanted, ephemeralMiB: volumeMiB };
}

/** Whether a Lambda can run this container at all. */
export function fitsLambda(wanted: Wanted, deadlineSeconds: number | undefined): boolean {
  return (
    (wanted.memoryMiB ?? 0) <= LAMBDA_LIMITS.maxMemoryMiB &&
    (wanted.ephemeralMiB ?? 0) <= LAMBDA_LIMITS.maxEphemeralMiB &&
    (deadlineSeconds ?? 0) <= LAMBDA_LIMITS.maxTimeoutSeconds
  );
}

/**
 * The pod's deadline plus a margin, at most 900 s. The deadline itself is the state machine's
 * TimeoutSeconds, which must fire first (reason DeadlineExceeded, not a container failure); the
 * Lambda's own timeout only bounds what an invocation left behind by a timed-out run may cost.
 */
function lambdaTimeout(deadlineSeconds: number | undefined): number {
  return Math.min(
    (deadlineSeconds ?? LAMBDA_LIMITS.maxTimeoutSeconds) + LAMBDA_LIMITS.deadlineMarginSeconds,
    LAMBDA_LIMITS.maxTimeoutSeconds,
  );
}

export function lambdaSize(
  wanted: Wanted,
  deadlineSeconds: number | undefined,
  path: readonly PathSegment[],
  report: Diagnostic[] | undefined,
): LambdaSize {
  let memory = wanted.memoryMiB ?? LAMBDA_LIMITS.defaultMemoryMiB;
  if (wanted.cpu !== undefined && wanted.cpu * LAMBDA_LIMITS.memoryMiBPerVcpu > memory) {
    const raised = Math.ceil(wanted.cpu * LAMBDA_LIMITS.memoryMiBPerVcpu);
    report?.push(
      warning(
        [...path, 'resources'],
        `Lambda memory raised to ${Math.min(raised, LAMBDA_LIMITS.maxMemoryMiB)}` +
          ` MiB to give ${wanted.cpu} vCPU (Lambda allots CPU by memory)`,
      ),
    );
    memory = raised;
  }
  const clamped = clamp(memory, LAMBDA_LIMITS.minMemoryMiB, LAMBDA_LIMITS.maxMemoryMiB);
  if (wanted.memoryMiB !== undefined && clamped !== memory && memory === wanted.memoryMiB) {
    report?.push(warning([...path, 'resources'], `Lambda memory rounded up from ${memory} to ${clamped} MiB`));
  }
  return {
    memoryMiB: clamped,
    ephemeralStorageMiB: clamp(
      wanted.ephemeralMiB ?? LAMBDA_LIMITS.minEphemeralMiB,
      LAMBDA_LIMITS.minEphemeralMiB,
      LAMBDA_LIMITS.maxEphemeralMiB,
    ),
    timeoutSeconds: lambdaTimeout(deadlineSeconds),
  };
}

/** The smallest valid Fargate size that holds what the container asks for, or undefined if none does. */
export function fargateSize(
  wanted: Wanted,
  path: readonly PathSegment[],
  report: Diagnostic[] | undefined,
): FargateSize | undefined {
  const cpuUnits = Math.ceil((wanted.cpu ?? 0.25) * 1024);
  const memory = wanted.memoryMiB ?? 512;
  for (const size of FARGATE_SIZES) {
    if (size.cpu < cpuUnits) continue;
    const fit = size.memoryMiB.find((m) => m >= memory);
    if (fit === undefined) continue;
    if ((wanted.cpu !== undefined && size.cpu !== cpuUnits) || (wanted.memoryMiB !== undefined && fit !== memory)) {
      report?.push(
        warning(
          [...path, 'resources'],
          `Fargate size rounded up to cpu ${size.cpu} (${size.cpu / 1024}` +
            ` vCPU), memory ${fit} MiB: the nearest valid pair`,
        ),
      );
    }
    const ephemeralGiB = Math.ceil((wanted.ephemeralMiB ?? 0) / 1024);
    return {
      cpu: size.cpu,
      memoryMiB: fit,
      ephemeralStorageGiB: clamp(ephemeralGiB, FARGATE_EPHEMERAL_GIB.min, FARGATE_EPHEMERAL_GIB.max),
    };
  }
  return undefined;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}
