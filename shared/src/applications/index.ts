// Applications (intake): a citizen's or an enterprise's application for a one-thing bundle.
export * from './errors.ts';
