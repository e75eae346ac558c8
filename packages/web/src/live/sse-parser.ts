/**
 * A parser for the Server-Sent Events wire format (WHATWG HTML §9.2.6, "Interpreting an event
 * stream"). The console reads /api/v1/stream with fetch() because EventSource cannot send an
 * Authorization header, so it parses the stream itself. Pure: text in, events out.
 */
export interface SseEvent {
  type: string;
  data: string;
  id: string;
}

/**
 * Returns a parser; feed it decoded text chunks with `push` in arrival order. For each complete
 * event (a blank line ends it) it calls `onEvent`: `type` defaults to "message", `data` joins the
 * `data:` lines with "\n", `id` is the last event id seen so far. Lines starting with ":" are
 * comments (keep-alives). A `retry:` field with digits calls `onRetry(ms)`. Lines may end with
 * CRLF, LF or CR and may be split anywhere between chunks.
 */
export function createSseParser(onEvent: (e: SseEvent) => void, onRetry: (ms: number) => void = () => {}) {
  let buffer = '';
  let started = false;
  let eventType = '';
  let data = '';
  let hasData = false;
  let lastEventId = '';
  let skipLf = false;

  function dispatch() {
    if (hasData) onEvent({ type: eventType || 'message', data, id: lastEventId });
    eventType = '';
    data = '';
    hasData = false;
  }

  function processLine(line: string) {
    if (line === '') return dispatch();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') eventType = value;
    else if (field === 'data') {
      data = hasData ? `${data}\n${value}` : value;
      hasData = true;
    } else if (field === 'id') {
      if (!value.includes('\0')) lastEventId = value;
    } else if (field === 'retry' && /^\d+$/.test(value)) onRetry(Number(value));
  }

  return {
    push(text: string) {
      if (!text) return;
      if (!started) {
        started = true;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      // A CRLF may be split between chunks: the CR ended the line, so skip the LF.
      if (skipLf && text.charCodeAt(0) === 10) text = text.slice(1);
      skipLf = false;
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        processLine(buffer.slice(start, i));
        if (c === 13) {
          if (i === buffer.length - 1) skipLf = true;
          else if (buffer.charCodeAt(i + 1) === 10) i++;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
    get lastEventId() {
      return lastEventId;
    },
  };
}
