// k6-llm's public surface: everything a k6 script imports. Nothing else in
// src/ is public; it may change without notice.

// Sending and measuring requests.
export { Client } from './client/client.ts';
export { Session } from './client/session.ts';
export { Prompts, syntheticImage, syntheticPrompt } from './client/prompts.ts';
// Load shapes: k6 scenarios, and what each of their iterations waits for.
export { closedUsers } from './load/closed-users.ts';
export { closedUserLoops, pauseAfterFailure, userId } from './load/users.ts';
export { arrivals } from './load/arrivals.ts';
export { batchJob } from './load/batch-job.ts';
export { rampLevels } from './load/ramp-levels.ts';
export { coldStartProbe, coldStartRegistrations } from './load/cold-start.ts';
// The run: SLOs, options, setup and teardown, the summary.
export { loadSlo } from './run/slo.ts';
export { llmOptions } from './run/options.ts';
export { llmSetup, llmTeardown, generatorProbe, currentSegment } from './run/lifecycle.ts';
export { llmSummary } from './run/summary.ts';
export { describeWorkload } from './run/registry.ts';
// The LLM_* variables, as the built-in workloads read them.
export { fromEnv } from './run/from-env.ts';

export type { ClientOptions, EndpointOptions, RecordingOptions } from './client/client-options.ts';
export type { ChatRequest, CompletionRequest, EmbeddingRequest, GenerationOptions, LlmResult, Message, SendOptions, Tool, ToolCall } from './client/requests.ts';
export type { AssistantMessage, ContentPart, ImagePart, SystemMessage, TextPart, ToolResultMessage, UserMessage } from './client/requests.ts';
export type { SessionOptions } from './client/session.ts';
export type { PromptOptions } from './client/prompts.ts';
export type { ClosedUsersOptions } from './load/closed-users.ts';
export type { UserLoopsOptions } from './load/users.ts';
export type { Arrival, Arrivals, ArrivalsOptions } from './load/arrivals.ts';
export type { BatchJob, BatchJobOptions } from './load/batch-job.ts';
export type { Ramp, RampOptions } from './load/ramp-levels.ts';
export type { ColdStartOptions, ColdStartProbe } from './load/cold-start.ts';
export type { Slo } from './run/slo.ts';
export type { LlmOptionsExtras } from './run/options.ts';
export type { RunStart, SetupOptions } from './run/lifecycle.ts';
export type { SummaryOptions, SummaryOutputs } from './run/summary.ts';
export type { WorkloadReport } from './run/registry.ts';
export type { FromEnvOverrides, WorkloadEnv } from './run/from-env.ts';
export type { Config } from './config/config.ts';
export type { EndpointConfig, MeterEndpoint, TransportChoice } from './config/endpoint.ts';
export type { RequestConfig } from './config/request.ts';
export type { PromptConfig } from './config/prompts.ts';
export type { LoadConfig } from './config/load.ts';
export type { ChatConfig } from './config/chat.ts';
export type { BatchConfig } from './config/batch.ts';
export type { AvailabilityConfig } from './config/availability.ts';
export type { ColdstartConfig } from './config/coldstart.ts';
export type { RampBy, RampConfig } from './config/ramp.ts';
export type { MixConfig, MixWorkload } from './config/mix.ts';
export type { ReportConfig } from './config/report.ts';
// What a request sends and what the Client records of it.
export type { GenerationRequest } from './protocols/protocol.ts';
export type { ErrorKind, RequestRecord } from './measure/request-record.ts';
export type { Outcome } from './measure/availability.ts';
export type { TransportName } from './k6/transport.ts';
export type { DatasetItem } from './datasets/prompt-dataset.ts';
export type { PerRequestBounds, ThresholdEntry } from './thresholds/threshold-file.ts';
export type { RampLevel, RampPlan } from './ramp/plan.ts';
export type { WorkloadName } from './config/knob.ts';
export type { ProtocolName } from './protocols/index.ts';
export type { Distribution } from './distribution.ts';
export type { ScenarioOptions } from './workloads/options.ts';
export type { PromptRequest, PromptSource, RequestShape } from './workloads/prompts.ts';
export type { K6SummaryData } from './k6-summary-data.ts';
