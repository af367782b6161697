// Analytics' contracts. Vocabulary: on time (按时办结) is concluded by the due date; a slowest step (堵点) is an
// item's state where cases stay longest.
export * from './analytics.ts';
