import { request } from 'node:https';
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { KubeError } from './errors.ts';

export interface ListResult<T> {
  items: T[];
  metadata: { resourceVersion?: string; continue?: string };
}

/**
 * The few REST verbs the operator uses, straight on the API server with the kubeconfig's credentials (client
 * certificate or ServiceAccount token): JSON in, JSON out, a KubeError for anything but 2xx.
 */
export class KubeRest {
  readonly kc: KubeConfig;
  readonly server: string;
  readonly timeoutMs: number;
  constructor(kc: KubeConfig, timeoutMs = 15_000) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig: no current cluster');
    this.kc = kc;
    this.server = cluster.server;
    this.timeoutMs = timeoutMs;
  }

  async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const options: Parameters<KubeConfig['applyToHTTPSOptions']>[0] = {
      method,
      headers: { accept: 'application/json', 'content-type': contentType },
      timeout: this.timeoutMs,
    };
    await this.kc.applyToHTTPSOptions(options);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const url = new URL(path, this.server);
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(url, options as Parameters<typeof request>[1], (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          data += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: data }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname}: no answer in ${this.timeoutMs} ms`)));
      req.on('error', (err) =>
        reject(new KubeError(0, 'ConnectionError', `${method} ${url.pathname}: ${err.message}`, { cause: err })),
      );
      req.end(payload);
    });
    if (status >= 200 && status < 300) return (text ? JSON.parse(text) : {}) as T;
    let reason = '';
    let message = text;
    try {
      const parsed = JSON.parse(text) as { reason?: string; message?: string };
      reason = parsed.reason ?? '';
      message = parsed.message ?? text;
    } catch {}
    throw new KubeError(status, reason, `${method} ${url.pathname}: ${status} ${message}`);
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  list<T>(path: string, query: Record<string, string> = {}): Promise<ListResult<T>> {
    const q = new URLSearchParams(query).toString();
    return this.request<ListResult<T>>('GET', q ? `${path}?${q}` : path);
  }

  create<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  replace<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  mergePatch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body, 'application/merge-patch+json');
  }

  /** Server-side apply under one field manager, forcing ownership of the fields this manager sets. */
  apply<T extends KubernetesObject>(path: string, body: T, fieldManager: string): Promise<T> {
    const q = new URLSearchParams({ fieldManager, force: 'true' });
    return this.request<T>('PATCH', `${path}?${q}`, body, 'application/apply-patch+yaml');
  }

  delete(path: string, body?: unknown): Promise<unknown> {
    return this.request('DELETE', path, body);
  }
}
