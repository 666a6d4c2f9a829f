/** A browser-like API client: keeps the session cookie, speaks JSON, reads SSE. */
export class ApiClient {
  readonly base: string;
  cookie = '';
  bearer = '';

  constructor(base: string) {
    this.base = base;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { ...extra };
    // As the web UI does: a cookie write without Origin must say it is no cross-site form.
    if (this.cookie) h.cookie = this.cookie;
    if (this.cookie) h['x-assay-client'] = 'tests';
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    return h;
  }

  async request(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<{ status: number; body: any; headers: Headers }> {
    const init: RequestInit = { method, headers: this.headers(extra) };
    if (body !== undefined) {
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(this.base + path, init);
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch { /* not JSON: keep the text */ }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  get(path: string) { return this.request('GET', path); }
  post(path: string, body?: unknown) { return this.request('POST', path, body ?? {}); }
  patch(path: string, body: unknown) { return this.request('PATCH', path, body); }
  put(path: string, body: unknown) { return this.request('PUT', path, body); }
  delete(path: string) { return this.request('DELETE', path); }

  async upload(path: string, bytes: Uint8Array | string, filename: string) {
    const res = await fetch(`${this.base}${path}?filename=${encodeURIComponent(filename)}`, {
      method: 'POST',
      headers: this.headers({ 'content-type': 'text/csv' }),
      body: typeof bytes === 'string' ? bytes : Buffer.from(bytes),
    });
    return { status: res.status, body: await res.json() as any };
  }

  async signup(email: string, password = 'correct horse battery') {
    const res = await this.post('/api/auth/signup', { email, password });
    if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; email: string };
  }

  events(workspaceId: string, lastEventId?: number): EventStream {
    return new EventStream(`${this.base}/api/workspaces/${workspaceId}/events`, this.headers(lastEventId !== undefined ? { 'last-event-id': String(lastEventId) } : {}));
  }
}

export interface SseEvent {
  id?: number;
  event: string;
  data: any;
}

/** Reads an SSE stream with fetch; `waitFor` resolves on the first event matching, or fails after a timeout. */
export class EventStream {
  readonly received: SseEvent[] = [];
  status = 0;
  readonly ready: Promise<void>;
  #abort = new AbortController();
  #waiters: Array<{ match: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void; reject: (err: Error) => void }> = [];
  /** Set once the stream has ended: no more events can come, so a wait fails at once. */
  #ended: string | undefined;

  constructor(url: string, headers: Record<string, string>) {
    this.ready = this.#run(url, headers);
  }

  async #run(url: string, headers: Record<string, string>): Promise<void> {
    const res = await fetch(url, { headers, signal: this.#abort.signal });
    this.status = res.status;
    if (!res.ok || !res.body) return;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    let gotHello: () => void = () => {};
    let endedEarly: (err: Error) => void = () => {};
    // A stream that ends (the server stopped, the database went away) before its hello fails
    // `ready` instead of leaving it pending: a pending `ready` hung the whole test file.
    const hello = new Promise<void>((resolve, reject) => { gotHello = resolve; endedEarly = reject; });
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let cut: number;
          while ((cut = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, cut);
            buf = buf.slice(cut + 2);
            const e = parseBlock(block);
            if (!e) continue;
            if (e.event === 'hello') gotHello();
            this.received.push(e);
            this.#waiters = this.#waiters.filter((w) => (w.match(e) ? (w.resolve(e), false) : true));
          }
        }
      } catch { /* aborted */ }
      this.#ended = this.#abort.signal.aborted ? 'it was closed' : 'the server ended it';
      for (const w of this.#waiters.splice(0)) w.reject(new Error(`no matching event: the stream ended (${this.#ended}); got: ${this.#seen()}`));
      if (this.#abort.signal.aborted) gotHello(); // closed by the test itself
      else endedEarly(new Error(`the event stream of ${url} ended before its hello`));
    })();
    await hello;
  }

  // The default is a safety net, not a measure: a passing wait ends at its event, seconds in on a
  // quiet machine; 30 s ran out (restore.test.ts) when other processes took both cores (load 14).
  waitFor(match: (e: SseEvent) => boolean, timeoutMs = 90_000): Promise<SseEvent> {
    const seen = this.received.find(match);
    if (seen) return Promise.resolve(seen);
    if (this.#ended) return Promise.reject(new Error(`no matching event: the stream ended (${this.#ended}); got: ${this.#seen()}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms; got: ${this.#seen()}`)), timeoutMs);
      this.#waiters.push({
        match,
        resolve: (e) => { clearTimeout(timer); resolve(e); },
        reject: (err) => { clearTimeout(timer); reject(err); },
      });
    });
  }

  /** What did arrive, in enough detail to tell one cell's story from another's (for a failed wait). */
  #seen(): string {
    return this.received.map((e) => [e.event, e.data?.cellId?.slice(0, 8), e.data?.status, e.data?.error?.code ?? e.data?.reason?.code]
      .filter(Boolean).join(':')).join(', ');
  }

  close(): void {
    this.#abort.abort();
  }
}

function parseBlock(block: string): SseEvent | null {
  let event = 'message';
  let id: number | undefined;
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'id') id = Number(value);
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return null;
  return { event, id, data: JSON.parse(data.join('\n')) };
}
