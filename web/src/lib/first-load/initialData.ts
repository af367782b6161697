// The early answers (early.ts) as the queries' first data: the first render shows them.
import { listPage } from '../api';
import { earlyAnswer, type EarlyAnswer } from './early';

/**
 * A query's initialData and initialDataUpdatedAt from the page's early request of this path (early.ts), when its
 * answer is already in: the first render shows it, and it ages from when it was asked for. `read` turns the answer
 * into the query's data as its queryFn would (a 401 reaches it only if it accepts one; else there is no initial
 * data and the queryFn asks). Without an answer in, the query fetches as usual.
 */
export function initialFromEarly<T>(path: string, read: (body: unknown, answer: EarlyAnswer) => T, accept401 = false) {
  let at: number | undefined;
  return {
    initialData: (): T | undefined => {
      const answer = earlyAnswer(path);
      if (!answer || (answer.status === 401 && !accept401)) return undefined;
      at = answer.at;
      return read(answer.body, answer);
    },
    initialDataUpdatedAt: () => at,
  };
}

/** initialFromEarly for a list page read as apiPage reads it. */
export function initialPageFromEarly<T>(path: string) {
  return initialFromEarly(path, (body, answer) => listPage(body as T[] | null, answer.total, answer.exceeds));
}
