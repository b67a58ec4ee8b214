// What a handler returns: an HTTP code and a JSON body (watch writes its own stream).
export interface HandlerResult {
  code: number;
  body: unknown;
}

export function ok(body: unknown, code = 200): HandlerResult {
  return { code, body };
}
