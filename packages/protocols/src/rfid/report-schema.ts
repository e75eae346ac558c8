/** The generic RFID reader report (docs/devices.md): what reader-report.ts decodes and vendor-reports.ts produces. */
import { z } from 'zod';

const location = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  accuracy: z.number().nonnegative().optional(),
});

/** One read of the generic form: EPC (hex), optional TID, RSSI (dBm), antenna port, time, channel frequency (MHz). */
export const rawTagReadSchema = z.object({
  epc: z.string().min(1),
  tid: z.string().optional(),
  rssi: z.number().optional(),
  antenna: z.number().int().nonnegative().optional(),
  time: z.string().optional(),
  frequencyMHz: z.number().positive().optional(),
  /** A vendor's fields of the read that have no generic member (Impinj `pc`, phase, transmit power), as sent. */
  vendor: z.record(z.string(), z.unknown()).optional(),
});
export type RawTagRead = z.infer<typeof rawTagReadSchema>;

/** The generic report: `{reader, time?, location?, band?, reads: [...]}` (docs/devices.md). */
export const readerReportSchema = z.object({
  reader: z.string().min(1).max(128).optional(),
  time: z.string().optional(),
  location: location.optional(),
  band: z.string().optional(),
  reads: z.array(rawTagReadSchema).max(10_000),
});
export type ReaderReport = Omit<z.infer<typeof readerReportSchema>, 'reader'> & { reader: string };
