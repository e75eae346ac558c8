// A parser for the Server-Sent Events wire format (WHATWG HTML §9.2.6, "Interpreting an
// event stream"). The console reads /api/v1/stream with fetch() because EventSource cannot
// send an Authorization header, so it has to parse the stream itself. Pure: text in, events out.

/**
 * Returns a parser; feed it decoded text chunks with `push` in arrival order. For each
 * complete event (a blank line ends it) it calls `onEvent({ type, data, id })`: `type`
 * defaults to "message", `data` joins the `data:` lines with "\n", `id` is the last event id
 * seen so far (it carries over to later events, as in EventSource). Lines starting with ":"
 * are comments (keep-alives). A `retry:` field with digits calls `onRetry(ms)`.
 * Lines may end with CRLF, LF or CR, and may be split anywhere between chunks.
 */
export function createSseParser(onEvent, onRetry = () => {}) {
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

  function processLine(line) {
    if (line === '') return dispatch();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        eventType = value;
        break;
      case 'data':
        data = hasData ? `${data}\n${value}` : value;
        hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) onRetry(Number(value));
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  return {
    push(text) {
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
    /** The id to send as Last-Event-ID when reconnecting ('' if none was seen). */
    get lastEventId() {
      return lastEventId;
    },
  };
}
