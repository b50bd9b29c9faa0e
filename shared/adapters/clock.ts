/** The system clock: the one adapter that reads the wall clock; everything else is given a `now` to call. */
export const systemClock = (): number => Date.now();
