/**
 * JSON as signed evidence is read: RFC 8259 leaves repeated member names to the reader ("the
 * behavior … is unpredictable"), so two parsers could read one signed payload differently; and a
 * payload nested thousands deep exhausts recursive readers further down; a member named
 * `__proto__` is a prototype to JavaScript readers and is lost from the stored reading; a string
 * with an unpaired surrogate (`"\ud800"`) is refused by strict readers and read by others. Such a
 * payload is refused before it is parsed. Pure and linear in the text; malformed JSON is left to
 * JSON.parse to report.
 */

/** An unpaired UTF-16 surrogate: no Unicode text, so readers disagree on what it says. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Deepest nesting of objects and arrays a device payload may use (the native schema needs 3). */
export const MAX_PAYLOAD_DEPTH = 32;

/** Why the JSON text may not be read as evidence (a repeated member name, too deep), or null. */
export function strictJsonProblem(text: string, maxDepth = MAX_PAYLOAD_DEPTH): string | null {
  // One entry per open container: the member names seen so far for an object, null for an array.
  const open: (Set<string> | null)[] = [];
  let expectName = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const names = open[open.length - 1];
      const escaped = text.slice(i, j).includes('\\u');
      if ((names && expectName) || escaped) {
        let value: string;
        try {
          value = JSON.parse(text.slice(i, j + 1)) as string;
        } catch {
          return null;
        }
        if (LONE_SURROGATE.test(value))
          return `a string holds an unpaired surrogate (${JSON.stringify(text.slice(i, Math.min(j + 1, i + 40)))})`;
      }
      if (names && expectName) {
        const name = JSON.parse(text.slice(i, j + 1)) as string;
        if (name === '__proto__') return 'member "__proto__" cannot be kept as signed: JavaScript readers take it as a prototype';
        if (names.has(name)) return `member ${JSON.stringify(name)} appears twice in one object`;
        names.add(name);
        expectName = false;
      }
      i = j;
    } else if (c === '{' || c === '[') {
      open.push(c === '{' ? new Set() : null);
      expectName = c === '{';
      if (open.length > maxDepth) return `nested deeper than ${maxDepth} levels`;
    } else if (c === '}' || c === ']') {
      open.pop();
      expectName = false;
    } else if (c === ',') {
      expectName = open[open.length - 1] != null;
    }
  }
  return null;
}
