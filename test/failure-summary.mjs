// A node:test reporter that prints, after the whole run, every failed test with
// its file and error. The TAP stream puts a failure where it happened, which in a
// 15-minute run is thousands of lines before the end; CI logs are often read (or
// kept) from the tail only, so the tail must name what failed.

function firstLines(text, count) {
  return String(text).split('\n').slice(0, count).join('\n');
}

function describeError(error) {
  if (!error) return 'no error detail';
  // node:test wraps the thrown value: the cause is what the test threw.
  const cause = error.cause ?? error;
  if (cause instanceof Error) return firstLines(cause.stack ?? cause.message, 12);
  return firstLines(typeof cause === 'string' ? cause : JSON.stringify(cause), 12);
}

export default async function* failureSummary(source) {
  const failures = [];
  for await (const event of source) {
    if (event.type !== 'test:fail') continue;
    const error = event.data.details?.error;
    // A suite fails when one of its tests does; the test itself is listed.
    if (error?.failureType === 'subtestsFailed') continue;
    failures.push({ name: event.data.name, file: event.data.file, error });
  }
  if (failures.length === 0) return;
  yield `\n# ${failures.length} failed test(s):\n`;
  for (const failure of failures) {
    yield `# FAILED ${failure.name}${failure.file ? ` (${failure.file})` : ''}\n`;
    for (const line of describeError(failure.error).split('\n')) yield `#   ${line}\n`;
  }
}
