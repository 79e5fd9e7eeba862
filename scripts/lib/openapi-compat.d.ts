export interface CompatibilityResult {
  breaking: string[];
  additive: string[];
  versionProblem: string | null;
}
export declare function compareDocuments(released: object, current: object): Promise<CompatibilityResult>;
export declare function parseVersion(v: unknown): { major: number; minor: number; patch: number } | undefined;
