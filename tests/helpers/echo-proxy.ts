/**
 * A hostile server for scrubbing tests: an HTTP proxy on 127.0.0.1 in front of a simulator that answers chosen
 * procedures with a 400 whose message echoes the request body, as a server's input validation sometimes does.
 */
import { createServer } from "node:http";
import type { IncomingMessage } from "node:http";
import { closeServer, listenLocal } from "../../simulators/faults.ts";

/** A running proxy. */
export interface EchoProxy {
  url: string;
  /** How many requests were answered with the echoing 400. */
  echoed(): number;
  close(): Promise<void>;
}

/** startEchoProxy forwards to `upstream`, except requests whose path ends with one of `echoOn`. */
export async function startEchoProxy(upstream: string, echoOn: readonly string[]): Promise<EchoProxy> {
  let echoed = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      if (echoOn.some((p) => (req.url ?? "").split("?")[0]!.endsWith(p))) {
        echoed += 1;
        const message = `Invalid input: ${body.toString("utf8").slice(0, 250)}`;
        res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ message, code: "BAD_REQUEST" }));
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => typeof v === "string" && k !== "host" && k !== "content-length")) as Record<string, string>;
      const init: RequestInit = { method: req.method ?? "GET", headers, ...(body.length > 0 ? { body: new Uint8Array(body) } : {}) };
      const answer = await fetch(upstream + (req.url ?? "/"), init);
      const text = Buffer.from(await answer.arrayBuffer());
      const out: Record<string, string> = {};
      answer.headers.forEach((v, k) => {
        if (k !== "content-length" && k !== "transfer-encoding" && k !== "content-encoding" && k !== "connection") out[k] = v;
      });
      res.writeHead(answer.status, out).end(text);
    })().catch(() => res.destroy());
  });
  return {
    url: await listenLocal(server),
    echoed: () => echoed,
    close: () => closeServer(server),
  };
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
