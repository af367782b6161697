// The spreadsheets' contracts: the outcome of an Excel import and the rows it refused.
export * from './spreadsheets.ts';
