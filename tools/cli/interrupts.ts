// What the CLI does with Ctrl-C while k6 runs. k6 runs in its own process
// group, so a terminal's Ctrl-C reaches only the CLI (and a wrapper such as
// npx, which may deliver it again): the first one is passed on once (k6 stops,
// cuts the in-flight requests short, writes the reports), copies of it within
// DUPLICATE_MS are the same keypress, and a later one aborts k6 on purpose.
// Pure: the caller passes the clock and the actions.

/** SIGINTs this close to the first are the same Ctrl-C delivered twice (the terminal and a wrapper). */
export const DUPLICATE_MS = 1000;

/** The CLI's exit code when a second Ctrl-C aborted k6 (128 + SIGINT): no reports. */
export const ABORTED_EXIT_CODE = 130;

/** What the interrupt handler acts through. */
export interface InterruptActions {
  now(): number;
  /** Sends SIGINT to k6. */
  interrupt(): void;
  /** Writes one line to stderr. */
  say(line: string): void;
}

/** Returns the SIGINT handler and whether it aborted k6 (then the CLI exits ABORTED_EXIT_CODE). */
export function interruptHandler(actions: InterruptActions): { onSigint(): void; aborted(): boolean } {
  let firstAt: number | null = null;
  let aborted = false;
  return {
    onSigint() {
      const now = actions.now();
      if (firstAt === null) {
        firstAt = now;
        actions.say('k6-llm: stopping: k6 ends the in-flight requests and writes the reports (Ctrl-C again to abort without reports)');
        actions.interrupt();
        return;
      }
      if (aborted || now - firstAt < DUPLICATE_MS) return;
      aborted = true;
      actions.say(`k6-llm: second Ctrl-C: aborting k6; no reports are written (exit ${ABORTED_EXIT_CODE})`);
      actions.interrupt();
    },
    aborted: () => aborted,
  };
}
