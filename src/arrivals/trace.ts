// Trace replay: arrivals at the recorded times, with the recorded prompt and
// output lengths. A trace is JSONL, one request per line:
//   {"timestamp": 0.25, "prompt_tokens": 812, "output_tokens": 64, "conversation_id": "c7"}
// timestamp is in seconds, from any origin (the first request is sent at 0);
// conversation_id is optional. Parsing is pure; k6 reads the file with open().
import { ConfigError, quote } from '../errors.ts';
import { jsonObjectLines } from '../datasets/json-object-lines.ts';
import type { Arrival, ArrivalPattern, ScheduleParams } from './pattern.ts';

function lineError(source: string, line: number, expected: string, got: unknown): ConfigError {
  return new ConfigError('invalid-value', 'LLM_TRACE', `invalid trace file ${source} at line ${line}; expected ${expected}, got ${quote(got)}`);
}

function positiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

/** Parses a JSONL trace into arrivals sorted by time, the first at 0; errors name the file and line. */
export function parseTrace(text: string, source: string): Arrival[] {
  const records: Arrival[] = [];
  const shape = '{"timestamp": s, "prompt_tokens": n, "output_tokens": n}';
  for (const { line: n, value: r } of jsonObjectLines(text, shape, (line, expected, got) => lineError(source, line, expected, got))) {
    if (typeof r.timestamp !== 'number' || !Number.isFinite(r.timestamp) || r.timestamp < 0) {
      throw lineError(source, n, '"timestamp": seconds as a number >= 0', r.timestamp);
    }
    if (!positiveInteger(r.prompt_tokens)) throw lineError(source, n, '"prompt_tokens": a whole number >= 1', r.prompt_tokens);
    if (!positiveInteger(r.output_tokens)) throw lineError(source, n, '"output_tokens": a whole number >= 1', r.output_tokens);
    const arrival: Arrival = { atMs: r.timestamp * 1000, promptTokens: r.prompt_tokens, outputTokens: r.output_tokens };
    if (r.conversation_id !== undefined && r.conversation_id !== null) {
      if (typeof r.conversation_id !== 'string' && typeof r.conversation_id !== 'number') {
        throw lineError(source, n, '"conversation_id": a string or number', r.conversation_id);
      }
      arrival.conversation = String(r.conversation_id);
    }
    records.push(arrival);
  }
  if (records.length === 0) throw new ConfigError('invalid-value', 'LLM_TRACE', `invalid trace file ${source}; expected at least one request line, got none`);
  // Stable sort: equal timestamps keep file order.
  records.sort((a, b) => a.atMs - b.atMs);
  const origin = (records[0] as Arrival).atMs;
  for (const r of records) r.atMs -= origin;
  return records;
}

/** Replays LLM_TRACE; requests recorded after the load window are not sent. */
export const trace: ArrivalPattern = {
  name: 'trace',
  description: 'replay LLM_TRACE (JSONL: timestamp s, prompt_tokens, output_tokens[, conversation_id])',
  schedule({ trace: records, durationMs }: ScheduleParams): Arrival[] {
    if (!records) throw new ConfigError('missing-value', 'LLM_TRACE', 'invalid LLM_TRACE; expected a JSONL trace file for LLM_ARRIVAL=trace, got nothing');
    return records.filter((r) => r.atMs < durationMs);
  },
};
