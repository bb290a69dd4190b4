// The smallest k6-llm test: two users chatting, judged by k6 thresholds of its own.
//   npx k6-llm run ./examples/minimal-chat.ts --url http://host:8000/v1 --model NAME [--duration 2m]
import exec from 'k6/execution';
import { Client, closedUsers, llmOptions, Prompts } from 'k6-llm';

// Base URL, model and API key from --url, --model and LLM_API_KEY (or give them here).
const client = new Client();
// The bundled demo prompts, a different one each request (a repeated prompt measures the server's cache).
const prompts = new Prompts();

export const options = llmOptions({
  scenarios: { chat: closedUsers({ vus: 2, duration: __ENV.LLM_DURATION || '30s' }) },
  thresholds: {
    'llm_ttft{workload:chat}': ['p(95)<1000'], // time to first token, ms
    'llm_request_success{workload:chat}': ['rate>0.99'],
  },
});

export default function () {
  client.chat({ messages: prompts.messages(exec.scenario.iterationInTest) });
}
