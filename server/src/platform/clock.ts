// "Today" for the statutory clock is the calendar day in China (UTC+8), whatever the server's time zone.
// Injected everywhere it matters, so tests can let days pass.
export interface Clock {
  now(): Date;
  /** YYYY-MM-DD in China. */
  today(): string;
}

const CHINA_OFFSET_MS = 8 * 3600_000;

export function chinaDay(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => chinaDay(new Date()),
};

/** A clock a test sets to a given day (at 10:00 China time) and moves forward. */
export function fixedClock(day: string): Clock & { set(day: string): void } {
  let current = day;
  return {
    now: () => new Date(`${current}T02:00:00.000Z`),
    today: () => current,
    set(d: string) {
      current = d;
    },
  };
}
