/**
 * Validation against GS1's official EPCIS 2.0 schemas (schemas/, byte for byte), with ajv and
 * ajv-formats, `strict: false` as GS1's own validation script does: documents against the JSON
 * schema, named queries' `query` against the REST binding's query schema.
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const load = (file: string) => JSON.parse(readFileSync(new URL(`./schemas/${file}`, import.meta.url), 'utf8')) as object;
const compiled = new Map<string, ReturnType<Ajv['compile']>>();

function errorsOf(file: string, doc: unknown): string[] {
  let validate = compiled.get(file);
  if (!validate) {
    const ajv = new Ajv({ strict: false, allErrors: false });
    addFormats(ajv);
    validate = ajv.compile(load(file));
    compiled.set(file, validate);
  }
  if (validate(doc)) return [];
  return (validate.errors ?? [])
    .slice(0, 20)
    .map(
      (e) =>
        `${e.instancePath || '/'}: ${e.message ?? 'invalid'}${e.keyword === 'additionalProperties' ? ` (${String(e.params.additionalProperty)})` : ''}`,
    );
}

/** The schema errors of `doc` (empty: valid), each as `instancePath: message`, at most 20. */
export const epcisSchemaErrors = (doc: unknown): string[] => errorsOf('epcis-2.0-json-schema.json', doc);

/** The errors of a named query's `query` against GS1's query schema (empty: valid), at most 20. */
export const epcisQuerySchemaErrors = (query: unknown): string[] => errorsOf('epcis-2.0-query-schema.json', query);
