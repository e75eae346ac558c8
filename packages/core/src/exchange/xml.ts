/**
 * A small XML reader and writer for the customs messages Sealwatch exchanges (NCTS CC029C in,
 * CC182C out). Element trees only: no DTD (a `<!DOCTYPE` is refused, so no entity expansion or
 * external entity can be smuggled in), namespaces kept as written and matched by local name,
 * the five predefined entities and numeric character references. Pure: a string in, a tree out.
 */

export interface XmlElement {
  /** Local name (the prefix before `:` dropped): NCTS messages come with and without `ncts:`. */
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (character data directly inside it), trimmed. */
  text: string;
}

export type XmlParse = { ok: true; root: XmlElement } | { ok: false; error: string };

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return ENTITIES[ref] ?? whole;
  });
}

const localName = (qname: string) => qname.slice(qname.indexOf(':') + 1);

/** Parses a whole document; the first well-formedness problem is the error. */
export function parseXml(xml: string): XmlParse {
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let i = 0;
  const text: string[][] = [];
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const chunk = lt < 0 ? xml.slice(i) : xml.slice(i, lt);
    if (stack.length) text[stack.length - 1].push(decode(chunk));
    else if (chunk.trim()) return { ok: false, error: 'text outside the root element' };
    if (lt < 0) break;
    if (xml.startsWith('<?', lt)) {
      const end = xml.indexOf('?>', lt);
      if (end < 0) return { ok: false, error: 'unterminated processing instruction' };
      i = end + 2;
    } else if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt);
      if (end < 0) return { ok: false, error: 'unterminated comment' };
      i = end + 3;
    } else if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt);
      if (end < 0 || !stack.length) return { ok: false, error: 'misplaced or unterminated CDATA section' };
      text[stack.length - 1].push(xml.slice(lt + 9, end));
      i = end + 3;
    } else if (xml.startsWith('<!', lt)) {
      return { ok: false, error: 'document type declarations are not accepted' };
    } else if (xml.startsWith('</', lt)) {
      const end = xml.indexOf('>', lt);
      const name = xml.slice(lt + 2, end).trim();
      const open = stack.pop();
      if (end < 0 || !open || localName(name) !== open.name) return { ok: false, error: `unexpected closing tag </${name}>` };
      open.text = text.pop()!.join('').trim();
      i = end + 1;
    } else {
      const m = /^<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(xml.slice(lt, lt + 4096));
      if (!m) return { ok: false, error: `malformed tag at offset ${lt}` };
      const attributes: Record<string, string> = {};
      for (const a of m[2].matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attributes[a[1]] = decode(a[2] ?? a[3]);
      const el: XmlElement = { name: localName(m[1]), attributes, children: [], text: '' };
      if (stack.length) stack[stack.length - 1].children.push(el);
      else if (root) return { ok: false, error: 'more than one root element' };
      else root = el;
      if (!m[3]) {
        stack.push(el);
        text.push([]);
      }
      i = lt + m[0].length;
    }
  }
  if (stack.length) return { ok: false, error: `element <${stack[stack.length - 1].name}> is not closed` };
  if (!root) return { ok: false, error: 'no root element' };
  return { ok: true, root };
}

/** The children of `el` named `name` (local name). */
export const childrenNamed = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name);
/** The first child named `name`, or undefined. */
export const childNamed = (el: XmlElement, name: string) => el.children.find((c) => c.name === name);

/** Escapes text for element content or a double-quoted attribute. */
export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);
}

/** A node to write: an element with children, or with text. */
export type XmlNode = { name: string; attributes?: Record<string, string>; children?: (XmlNode | null)[]; text?: string };

/** Writes an indented document with the XML declaration. Null children are left out. */
export function writeXml(root: XmlNode): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const write = (n: XmlNode, depth: number) => {
    const pad = '  '.repeat(depth);
    const attrs = Object.entries(n.attributes ?? {})
      .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
      .join('');
    if (n.text !== undefined) out.push(`${pad}<${n.name}${attrs}>${escapeXml(n.text)}</${n.name}>`);
    else {
      out.push(`${pad}<${n.name}${attrs}>`);
      for (const c of n.children ?? []) if (c) write(c, depth + 1);
      out.push(`${pad}</${n.name}>`);
    }
  };
  write(root, 0);
  return `${out.join('\n')}\n`;
}
