// The identifiers context's query keys.
export const identifiersKeys = {
  /** The divisions (行政区划) under a division. */
  divisions: (parent: string | null) => ['divisions', parent] as const,
};
