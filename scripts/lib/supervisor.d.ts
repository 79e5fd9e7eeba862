import type { ChildProcess } from 'node:child_process';

export interface SupervisorPolicy {
  maxCrashes: number;
  windowMs: number;
  initialDelayMs: number;
  maxDelayMs: number;
  stopTimeoutMs: number;
}

export interface ExitInfo {
  code?: number | null;
  signal?: NodeJS.Signals | null;
  error?: Error;
}

export interface CrashInfo {
  exit: ExitInfo;
  crashes: number;
  policy: SupervisorPolicy;
  describe: string;
}

export declare const DEFAULT_POLICY: Readonly<SupervisorPolicy>;
export declare function describeExit(exit: ExitInfo): string;

export declare class Supervisor {
  constructor(options: {
    start: (name: string) => ChildProcess;
    log?: (message: string) => void;
    policy?: Partial<SupervisorPolicy>;
    onRestarting?: (name: string, info: CrashInfo & { delayMs: number }) => void;
    onRestarted?: (name: string, child: ChildProcess) => void;
    onGiveUp?: (name: string, info: CrashInfo) => void;
  });
  readonly policy: SupervisorPolicy;
  readonly stopping: Promise<void> | null;
  add(name: string): ChildProcess | null;
  child(name: string): ChildProcess | null;
  restarts(name: string): number;
  stop(): Promise<void>;
  killAll(): void;
}
