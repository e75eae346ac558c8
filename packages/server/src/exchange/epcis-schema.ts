/**
 * Validation of EPCIS 2.0 documents against GS1's official JSON schema (schemas/, byte for byte),
 * with ajv and ajv-formats, `strict: false` as GS1's own validation script does.
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const schema = JSON.parse(readFileSync(new URL('./schemas/epcis-2.0-json-schema.json', import.meta.url), 'utf8')) as object;
let compiled: ReturnType<Ajv['compile']> | null = null;

/** The schema errors of `doc` (empty: valid), each as `instancePath: message`, at most 20. */
export function epcisSchemaErrors(doc: unknown): string[] {
  if (!compiled) {
    const ajv = new Ajv({ strict: false, allErrors: false });
    addFormats(ajv);
    compiled = ajv.compile(schema);
  }
  if (compiled(doc)) return [];
  return (compiled.errors ?? []).slice(0, 20).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}
