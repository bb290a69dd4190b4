// An agent loop: the model may call a tool; the script runs the tool and
// sends its result back as the next turn, until the model answers in text.
// Every turn is measured under the same tags (workload agent, task
// order-status), so the workload's figures cover the whole loop. The last
// step offers no tools: a budget of tool calls, after which the model must
// answer.
//   npx k6-llm run ./examples/agent-loop.ts --url http://host:8000/v1 --model NAME [--duration 2m]
// Needs a chat endpoint that calls tools (vLLM with --enable-auto-tool-choice,
// or any OpenAI-compatible API): protocol openai-chat (anthropic-messages and
// openai-responses carry the same turns in their own shapes).
import { check } from 'k6';
import { Client, closedUsers, llmOptions, type Message, type Tool, type ToolCall } from 'k6-llm';

/** Model turns per task: at most MAX_STEPS - 1 tool calls, then an answer. */
const MAX_STEPS = 3;
const TAGS = { task: 'order-status' };
const TOOLS: Tool[] = [
  {
    name: 'get_order_status',
    description: 'Look up where an order is.',
    parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
  },
];

const client = new Client({ protocol: 'openai-chat' });

export const options = llmOptions({
  scenarios: { agent: closedUsers({ vus: 2, duration: __ENV.LLM_DURATION || '30s' }) },
  thresholds: {
    // Each turn, start to last token (ms): the task tag picks every turn of the loop.
    'llm_e2e{task:order-status}': ['p(95)<10000'],
    checks: ['rate==1'],
  },
});

/** The tool: a real agent would call a service here (with k6/http, measured by k6). */
function runTool(call: ToolCall): string {
  let args: { order_id?: unknown };
  try {
    args = JSON.parse(call.arguments) as { order_id?: unknown };
  } catch {
    return JSON.stringify({ error: 'the arguments were not JSON' });
  }
  return JSON.stringify({ order_id: args.order_id ?? null, status: 'shipped', eta: '2 days' });
}

export default function () {
  // The model's tool calls go back as its turn, each result as a tool turn
  // naming the call it answers: the protocol adapter writes both in the API's
  // own shape (OpenAI: assistant tool_calls, then role tool).
  const history: Message[] = [{ role: 'user', content: 'Where is my order 4711?' }];
  for (let step = 1; step <= MAX_STEPS; step++) {
    const offerTools = step < MAX_STEPS;
    const turn = client.chat({ messages: history, tools: offerTools ? TOOLS : [] }, { text: true, tags: TAGS });
    if (!check(turn, { 'turn succeeded': (r) => r.success })) return;
    const call = turn.toolCalls?.[0];
    if (call === undefined) {
      check(turn, { 'agent answered in text': (r) => (r.text ?? '').trim().length > 0 });
      return;
    }
    check(call, { 'model called an offered tool': (c) => TOOLS.some((t) => t.name === c.name) });
    if (call.id === null) return; // A tool's result must name its call: nothing to answer.
    history.push({ role: 'assistant', content: turn.text ?? '', toolCalls: [call] }, { role: 'tool', toolCallId: call.id, content: runTool(call) });
  }
}
