// Two models (or two endpoints) under the same load in one script, side by
// side in the report: one Client and one scenario per model, each
// scenario's workload tag the model's name, so every llm_* figure and
// threshold is kept per model. Both send the same prompts in the same order.
//   npx k6-llm run ./examples/compare-models.ts --url http://host:8000/v1 \
//     -e MODEL_A=llama-3.1-8b -e MODEL_B=qwen2.5-7b [-e URL_B=http://other:8000/v1] [--duration 2m]
// Each model's base URL is URL_A / URL_B when given, else --url (LLM_BASE_URL).
import exec from 'k6/execution';
import { Client, closedUsers, llmOptions, Prompts } from 'k6-llm';

const MODEL_A = __ENV.MODEL_A || 'model-a';
const MODEL_B = __ENV.MODEL_B || 'model-b';
const DURATION = __ENV.LLM_DURATION || '30s';

// An option left undefined falls back to its LLM_* variable (here LLM_BASE_URL).
const clientA = new Client({ model: MODEL_A, baseUrl: __ENV.URL_A });
const clientB = new Client({ model: MODEL_B, baseUrl: __ENV.URL_B });
const prompts = new Prompts({ promptTokens: 200, seed: 7 });

export const options = llmOptions({
  // Scenario names are k6's (letters, digits, _ and -); the workload tag carries the model's name.
  scenarios: {
    a: closedUsers({ vus: 2, duration: DURATION, exec: 'a', tags: { workload: MODEL_A } }),
    b: closedUsers({ vus: 2, duration: DURATION, exec: 'b', tags: { workload: MODEL_B } }),
  },
  thresholds: {
    [`llm_ttft{workload:${MODEL_A}}`]: ['p(95)<1000'],
    [`llm_ttft{workload:${MODEL_B}}`]: ['p(95)<1000'],
  },
});

/** One request through `client`: the i-th prompt of the shared sequence, the scenario's own count. */
function ask(client: Client): void {
  client.chat({ messages: prompts.messages(exec.scenario.iterationInTest), maxTokens: 256 });
}

export function a(): void {
  ask(clientA);
}

export function b(): void {
  ask(clientB);
}
