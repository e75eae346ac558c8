// Tiny DOM helpers. Text always goes in through textContent, never innerHTML, because
// references, device ids and comments come from devices and users.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.setAttribute('class', value);
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** An HTML element: h('button', { class: 'x', onclick: f }, 'Label'). */
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element. */
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** Sets text only when it changed, so screen readers and selection are not disturbed. */
export function setText(el, text) {
  const t = String(text);
  if (el.textContent !== t) el.textContent = t;
}

/** Toggles a class or sets an attribute only when it changed. */
export function setAttr(el, name, value) {
  if (value === null || value === undefined || value === false) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== String(value)) {
    el.setAttribute(name, String(value));
  }
}

/**
 * Keyed list update: makes `container`'s children one element per item, in order, reusing
 * the element made earlier for the same key (so focus and animations survive an update).
 * `create(item)` makes a new element, `update(el, item)` refreshes one.
 */
export function reconcile(container, items, keyOf, create, update) {
  const cache = container.__keyed ?? (container.__keyed = new Map());
  const seen = new Set();
  // Moving a node blurs it; remember what had focus to give it back afterwards.
  const focused = container.contains(document.activeElement) ? document.activeElement : null;
  let cursor = container.firstElementChild;
  for (const item of items) {
    const key = keyOf(item);
    seen.add(key);
    let el = cache.get(key);
    if (!el) {
      el = create(item);
      cache.set(key, el);
    }
    update(el, item);
    if (el === cursor) cursor = cursor.nextElementSibling;
    else container.insertBefore(el, cursor);
  }
  for (const [key, el] of cache) {
    if (!seen.has(key)) {
      el.remove();
      cache.delete(key);
    }
  }
  if (focused && focused.isConnected && document.activeElement !== focused) focused.focus({ preventScroll: true });
}
