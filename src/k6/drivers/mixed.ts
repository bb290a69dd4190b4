// The mixed run's drivers: chat conversations and realtime calls on their own
// schedules (LLM_MIX rates, LLM_ARRIVAL spacing) and a batch job at its own
// concurrency, each its own k6 scenario with its own tags and thresholds. A
// rate of 0 leaves a workload out.
import type { Config } from '../../config/config.ts';
import type { Transport } from '../transport.ts';
import { createBatchDriver } from './batch.ts';
import { createChatDriver } from './chat.ts';
import type { Driver } from './driver.ts';
import { createRealtimeDriver } from './realtime.ts';

/** The drivers LLM_MIX asks for. */
export function createMixedDrivers(config: Config, transport: Transport): Driver[] {
  const drivers: Driver[] = [];
  const { rates } = config.mix;
  const withLoad = (load: Partial<Config['load']>): Config => ({ ...config, load: { ...config.load, ...load } });
  if (rates.chat > 0) drivers.push(createChatDriver(withLoad({ rate: rates.chat }), transport, true));
  if (rates.realtime > 0) drivers.push(createRealtimeDriver(withLoad({ rate: rates.realtime }), transport));
  // Batch takes its concurrency from LLM_MIX, not LLM_VUS (which sizes the open-model pools), and is never scheduled.
  if (rates.batch > 0) drivers.push(createBatchDriver(withLoad({ vus: rates.batch, arrival: null, trace: null }), transport));
  return drivers;
}
