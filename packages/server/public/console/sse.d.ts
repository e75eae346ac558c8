/** Types of sse.js: a Server-Sent Events wire-format parser. */

export interface SseEvent {
  /** The `event:` field, "message" when absent. */
  type: string;
  /** The `data:` lines joined with "\n". */
  data: string;
  /** The last `id:` seen so far on this stream ('' if none). */
  id: string;
}
export interface SseParser {
  /** Feed decoded text in arrival order; complete events are dispatched synchronously. */
  push(text: string): void;
  readonly lastEventId: string;
}
export declare function createSseParser(
  onEvent: (event: SseEvent) => void,
  onRetry?: (ms: number) => void,
): SseParser;
