// The cases context's query keys (the reviewer's side; the applicant sees cases within an application).
export const casesKeys = {
  /** Every page of the queue, whatever its filters. */
  queues: () => ['staff-queue'] as const,
  queue: <F extends object>(filter: F) => ['staff-queue', filter] as const,
  case: (id: string | undefined) => ['staff-case', id] as const,
};
