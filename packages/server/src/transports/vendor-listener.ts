/** What the listener host gives back for a started vendor protocol listener. */
export interface VendorListener {
  /** The port it is bound to (the configured one, or the one the system picked for port 0). */
  port: number;
  /** Drops every open connection and stops listening. */
  close(): Promise<void>;
}

/** A device is refused once ingest says it is not registered for the protocol: nothing is acknowledged. */
export const refusedDevice = (r: { reason?: string | null }) => r.reason === 'unknown_device' || r.reason === 'protocol_mismatch';
