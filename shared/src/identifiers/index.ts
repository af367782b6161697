// Identifiers' contracts. Vocabulary: an ID number (居民身份证号码), a USCC (统一社会信用代码), a division code
// (行政区划代码) current or retired, with the codes that succeeded it.
export * from './identifiers.ts';
