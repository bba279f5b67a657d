// Types of what linewatch.cjs exports, for its test.
export declare function buildSources(root?: string): string[];
export declare function staleSources(root?: string): string[];
