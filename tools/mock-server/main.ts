// CLI entry of the mock LLM server (bundled to dist/tools/mock-server.mjs):
// parses flags and MOCK_* env, prints the one "listening" line scripts wait
// for on stdout, and on SIGINT/SIGTERM stops and prints a stats line to stderr.
// Failures are one stderr line and exit code 2.

import { parseMockArgs } from './config.ts';
import { createMockServer, type MockStats } from './server.ts';
import { MOCK_USAGE } from './usage.ts';

const EXIT_FAILURE = 2;
// If something still holds the event loop after close(), exit anyway.
const FORCED_EXIT_AFTER_MS = 2_000;

function fail(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`mock-llm: ${message.split('\n')[0]}\n`);
  process.exit(EXIT_FAILURE);
}

function summary(stats: MockStats): string {
  const { lateness } = stats;
  return (
    `mock-llm stopped: requests=${stats.requests} streams=${stats.streams} aborted=${stats.aborted} ` +
    `tokens=${stats.tokensSent} chunks=${stats.chunksSent} ` +
    `send-lateness p50=${lateness.p50}ms p99=${lateness.p99}ms max=${lateness.max}ms (n=${lateness.count})`
  );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(MOCK_USAGE);
    return;
  }
  const config = parseMockArgs(argv, process.env);
  const server = createMockServer(config);
  const { url } = await server.listen();
  process.stdout.write(`mock-llm listening on ${url}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) {
      // A second signal means "now": do not wait for connections to drain.
      process.exit(1);
    }
    stopping = true;
    // Read before close(): closing aborts open streams and would count them.
    const stats = server.stats();
    server.close().then(
      () => {
        if (!config.quiet) process.stderr.write(`${summary(stats)}\n`);
        setTimeout(() => process.exit(0), FORCED_EXIT_AFTER_MS).unref();
      },
      (err: unknown) => fail(err),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(fail);
