// The shells a completion script is written for, and what `__complete` lists: shared by the
// registration (index.ts) and the script writer (action.ts).
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export const DYNAMIC_KINDS = ['problems', 'rubrics', 'sessions'] as const;
export type DynamicKind = (typeof DYNAMIC_KINDS)[number];
