/**
 * Joins the StreamBus of every process through NATS core subjects: what a processor commits
 * reaches the SSE clients of every API process, and a movement changed through one API process
 * reaches every processor's cache. Live data only; the store remains the record.
 */
import type { NatsConnection, Subscription } from 'nats';
import type { StreamBus, StreamMessage } from '../stream/stream-bus';

export function bridgeStreamBus(bus: StreamBus, nc: NatsConnection, origin: string, subject: string): () => void {
  const fromRemote = new WeakSet<object>();
  const unsubscribe = bus.subscribe((m) => {
    if (fromRemote.has(m)) return;
    nc.publish(`${subject}.${m.kind}`, JSON.stringify({ origin, m }));
  });
  const sub: Subscription = nc.subscribe(`${subject}.>`, {
    callback: (err, msg) => {
      if (err) return;
      const { origin: from, m } = JSON.parse(msg.string()) as { origin: string; m: StreamMessage };
      if (from === origin) return;
      fromRemote.add(m);
      bus.publish(m);
    },
  });
  return () => {
    unsubscribe();
    sub.unsubscribe();
  };
}
