// Retrieval-augmented generation: each iteration asks a search service for
// passages with a plain k6/http call (measured by k6 as usual, under
// name:search), puts them into the prompt, asks the model, and checks what it
// answered. The answer's text comes back only when asked for (`text: true`):
// k6 then parses every event of the answer, which costs it some CPU per token.
//   npx k6-llm run ./examples/retrieval-then-generation.ts --url http://host:8000/v1 --model NAME \
//     -e SEARCH_URL=http://search:8080/search [--duration 2m]
// The search service answers GET <SEARCH_URL>?q=<question>&k=<n> with {"passages": [{"text": "..."}, ...]}.
import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { Client, closedUsers, llmOptions } from 'k6-llm';

const SEARCH_URL = __ENV.SEARCH_URL || 'http://127.0.0.1:8080/search';
const QUESTIONS = [
  'How do I rotate an API key?',
  'What is the refund policy for annual plans?',
  'Which regions store customer data?',
  'How long are audit logs kept?',
];

const client = new Client();

export const options = llmOptions({
  scenarios: { rag: closedUsers({ vus: 2, duration: __ENV.LLM_DURATION || '30s' }) },
  thresholds: {
    // The retrieval call (ms), by its name tag: k6's http_req_duration also counts the
    // client's own calls to the stream meter (tagged k6llm:meter), each as long as a whole answer.
    'http_req_duration{name:search}': ['p(95)<500'],
    'llm_ttft{workload:rag}': ['p(95)<2000'], // the generation, ms: a long prompt takes longer to prefill
    checks: ['rate==1'],
  },
});

/** The search service's answer. */
interface SearchResult {
  passages: { text: string }[];
}

export default function () {
  const question = QUESTIONS[exec.scenario.iterationInTest % QUESTIONS.length];
  const search = http.get(`${SEARCH_URL}?q=${encodeURIComponent(question)}&k=3`, { tags: { name: 'search' } });
  if (!check(search, { 'search answered': (r) => r.status === 200 })) return;
  const { passages } = search.json() as unknown as SearchResult;
  const sources = passages.map((p, i) => `[${i + 1}] ${p.text}`).join('\n');

  const answer = client.chat(
    {
      messages: [
        { role: 'system', content: 'Answer from the numbered sources only, citing them as [n].' },
        { role: 'user', content: `Sources:\n${sources}\n\nQuestion: ${question}` },
      ],
      maxTokens: 256,
    },
    { text: true },
  );
  check(answer, {
    'model answered': (r) => r.success,
    'answer is not empty': (r) => (r.text ?? '').trim().length > 0,
  });
}
