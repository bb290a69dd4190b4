// What the model said, collected when a script asks for it (the Client's
// `text` option): the answer text, the reasoning, and each tool call's id,
// name and arguments, appended event by event by the protocol's adapter
// (readOutput) or read from a whole body (readCompletionOutput). Kept apart
// from the per-event counting (readChunk), which never builds strings.

/** A tool call the model made: its arguments as the JSON text it streamed. */
export interface ToolCall {
  /** The call's id (OpenAI call id, Anthropic tool_use id); null when the protocol gave none. */
  id: string | null;
  /** The called tool's name. */
  name: string;
  /** The arguments as JSON text, as the model wrote them (parse it yourself: it may be invalid). */
  arguments: string;
}

/** Collects one answer's text, reasoning and tool calls. */
export class AnswerOutput {
  text = '';
  reasoning = '';
  private readonly calls = new Map<number, ToolCall>();

  /** The tool call in `slot` (the protocol's index of it), made empty on first use. */
  toolCall(slot: number): ToolCall {
    let call = this.calls.get(slot);
    if (call === undefined) {
      call = { id: null, name: '', arguments: '' };
      this.calls.set(slot, call);
    }
    return call;
  }

  /** The tool calls in slot order. */
  toolCalls(): ToolCall[] {
    return [...this.calls.entries()].sort((a, b) => a[0] - b[0]).map(([, call]) => call);
  }
}
