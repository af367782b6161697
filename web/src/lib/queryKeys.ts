// TanStack Query keys are written in one factory per feature (features/<context>/keys.ts), never inline. The
// console's queries, whatever their context, start with CONSOLE_KEY: a change to the catalogue (a publish, an
// import, a saved draft) refreshes all of them at once, as names and counts on any console page may come from it.
export const CONSOLE_KEY = ['admin'] as const;
