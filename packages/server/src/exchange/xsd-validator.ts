/**
 * Test support: validates a document against the official NCTS phase 5 XSDs with libxml2
 * (xmllint compiled to WebAssembly, a dev dependency: nothing native to build in CI). The
 * schemas are read from ../shared/reference/exchange/ncts-p5 beside the clone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateXML } from 'xmllint-wasm';

export const exchangeReferenceDir = fileURLToPath(new URL('../../../../../shared/reference/exchange/', import.meta.url));
const nctsDir = join(exchangeReferenceDir, 'ncts-p5');

const schemaFiles = () => [
  ...readdirSync(nctsDir)
    .filter((f) => f.endsWith('.xsd'))
    .map((f) => ({ fileName: f, contents: readFileSync(join(nctsDir, f), 'utf8') })),
  ...readdirSync(join(nctsDir, 'include-files')).map((f) => ({
    fileName: `include-files/${f}`,
    contents: readFileSync(join(nctsDir, 'include-files', f), 'utf8'),
  })),
];

/** The schema errors of `xml` against the phase 5 XSD of `message` (empty: valid). */
export async function nctsSchemaErrors(xml: string, message: 'cc029c' | 'cc182c'): Promise<string[]> {
  const files = schemaFiles();
  const main = files.find((f) => f.fileName === `${message}.xsd`)!;
  const result = await validateXML({
    xml: { fileName: 'document.xml', contents: xml },
    schema: main,
    preload: files.filter((f) => f !== main),
    disableFileNameValidation: true,
  });
  return result.errors.map((e) => e.message);
}
