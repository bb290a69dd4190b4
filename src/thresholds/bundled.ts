// The thresholds files shipped in thresholds/, bundled into every scenario by
// esbuild so plain `k6 run dist/<workload>.js` applies them without files.
import batch from '../../thresholds/batch.json';
import chatRelaxed from '../../thresholds/chat.relaxed.json';
import chat from '../../thresholds/chat.json';
import realtime from '../../thresholds/realtime.json';

/** File name (without .json) → parsed content: `<workload>` is the default, `<workload>.<profile>` a named profile. */
export const BUNDLED_THRESHOLDS: Readonly<Record<string, unknown>> = {
  chat,
  'chat.relaxed': chatRelaxed,
  batch,
  realtime,
};
