/**
 * The live stream inside one process: what happened, in the order it was committed, for the
 * SSE endpoint and anyone else listening. Publishing never blocks on a slow listener.
 */
import type { Alert, DomainEvent, Incident, Movement, Observation } from '@sealwatch/core';

export type StreamMessage =
  | { kind: 'observation'; data: Observation }
  | { kind: 'event'; data: DomainEvent }
  | { kind: 'alert'; data: Alert }
  | { kind: 'incident'; data: Incident }
  | { kind: 'movement'; data: Movement };

export type StreamListener = (m: StreamMessage) => void;

export class StreamBus {
  private readonly listeners = new Set<StreamListener>();

  publish(message: StreamMessage): void {
    for (const l of this.listeners) {
      try {
        l(message);
      } catch {
        // A broken listener must not stop the pipeline; it is removed.
        this.listeners.delete(l);
      }
    }
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: StreamListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
