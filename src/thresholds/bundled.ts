// The thresholds files shipped in thresholds/, bundled into every scenario by
// esbuild so plain `k6 run dist/<workload>.js` applies them without files.
import availability from '../../thresholds/availability.json' with { type: 'json' };
import batch from '../../thresholds/batch.json' with { type: 'json' };
import chatRelaxed from '../../thresholds/chat.relaxed.json' with { type: 'json' };
import chat from '../../thresholds/chat.json' with { type: 'json' };
import coldstart from '../../thresholds/coldstart.json' with { type: 'json' };
import embeddings from '../../thresholds/embeddings.json' with { type: 'json' };
import realtime from '../../thresholds/realtime.json' with { type: 'json' };

/** File name (without .json) → parsed content: `<workload>` is the default, `<workload>.<profile>` a named profile. */
export const BUNDLED_THRESHOLDS: Readonly<Record<string, unknown>> = {
  chat,
  'chat.relaxed': chatRelaxed,
  batch,
  realtime,
  coldstart,
  embeddings,
  availability,
};
