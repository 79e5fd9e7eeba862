export declare function build(options?: { outDir?: string }): Promise<{ files: number; ms: number }>;
