// The mixed run's drivers: chat conversations and realtime calls on their own
// schedules (LLM_MIX rates, LLM_ARRIVAL spacing) and a batch job at its own
// concurrency, each its own k6 scenario with its own tags and thresholds. A
// rate of 0 leaves a workload out.
import type { Config } from '../../config.ts';
import type { Transport } from '../transport.ts';
import { createBatchDriver } from './batch.ts';
import { createChatDriver } from './chat.ts';
import type { Driver } from './driver.ts';
import { createRealtimeDriver } from './realtime.ts';

/** The drivers LLM_MIX asks for. */
export function createMixedDrivers(config: Config, transport: Transport): Driver[] {
  const drivers: Driver[] = [];
  if (config.mix.chat > 0) drivers.push(createChatDriver({ ...config, rate: config.mix.chat }, transport, true));
  if (config.mix.realtime > 0) drivers.push(createRealtimeDriver({ ...config, rate: config.mix.realtime }, transport));
  // Batch takes its concurrency from LLM_MIX, not LLM_VUS (which sizes the open-model pools), and is never scheduled.
  if (config.mix.batch > 0) drivers.push(createBatchDriver({ ...config, vus: config.mix.batch, arrival: null, trace: null }, transport));
  return drivers;
}
