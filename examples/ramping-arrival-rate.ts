// k6's own ramping-arrival-rate executor driving the client: requests start
// at a rate that ramps from 2/s to 10/s and holds, whatever the endpoint
// does (an open model); k6 starts more VUs, up to maxVUs, when answers slow
// down, and counts the starts it could not make in dropped_iterations.
//   npx k6-llm run ./examples/ramping-arrival-rate.ts --url http://host:8000/v1 --model NAME [-e STAGE=1m]
// For seeded Poisson or trace arrivals with schedule lag measured, see arrivals() in the API reference.
import exec from 'k6/execution';
import { Client, llmOptions, Prompts } from 'k6-llm';

/** Each stage's length: the ramp, then the hold. */
const STAGE = __ENV.STAGE || '1m';

const client = new Client();
const prompts = new Prompts({ promptTokens: 'uniform:100:300' });

export const options = llmOptions({
  scenarios: {
    ramp: {
      executor: 'ramping-arrival-rate',
      startRate: 2,
      timeUnit: '1s',
      stages: [
        { target: 10, duration: STAGE },
        { target: 10, duration: STAGE },
      ],
      // Enough VUs for the rate × a request's time; k6 adds more up to maxVUs.
      preAllocatedVUs: 4,
      maxVUs: 20,
    },
  },
  thresholds: {
    'llm_ttft{workload:ramp}': ['p(95)<1000'],
    'llm_request_success{workload:ramp}': ['rate>0.99'],
    // A start k6 could not make (no free VU) is load the endpoint never saw.
    dropped_iterations: ['count==0'],
  },
});

export default function () {
  client.chat({ messages: prompts.messages(exec.scenario.iterationInTest), maxTokens: 128 });
}
