// Degradation ramp: steps load through LLM_LEVELS (concurrent streams, or
// requests/s with LLM_RAMP_BY=rate), each level held LLM_LEVEL_DURATION with
// its first LLM_WARMUP discarded, and reports where throughput stops growing
// (saturation point) and the highest level meeting every SLO (SLO limit):
//   k6 run -e LLM_BASE_URL=http://host:8000/v1 -e LLM_LEVELS=1,2,4,8,16,32 dist/ramp.js
import { createRampDriver } from '../src/k6/drivers/ramp.ts';
import { createScript } from '../src/script.ts';

const script = createScript(__ENV, 'ramp', (config, transport) => [createRampDriver(config, transport)]);

export const options = script.options;
export const setup = script.setup;
/** One request at the current level. */
export const ramp = script.exec('ramp');
export const generatorProbe = script.generatorProbe;
export const teardown = script.teardown;
export const handleSummary = script.handleSummary;
