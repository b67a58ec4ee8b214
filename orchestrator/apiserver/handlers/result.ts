// What a handler returns: an HTTP code and a JSON body (watch writes its own stream). A body
// already serialised (lists spliced from stored text) comes as `json` and is sent as is.
export interface HandlerResult {
  code: number;
  body: unknown;
  json?: Buffer;
}

export function ok(body: unknown, code = 200): HandlerResult {
  return { code, body };
}

export function okJson(json: Buffer): HandlerResult {
  return { code: 200, body: undefined, json };
}
