import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An alert receiver on loopback: records every JSON body POSTed to it; can go down and come back on the same port. */
export class WebhookReceiver {
  readonly messages: { status: string; alerts: { labels: Record<string, string>; status: string; fingerprint: string }[] }[] = [];
  private server?: Server;
  private port = 0;

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await receiver.listen();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async listen(): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.messages.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** `firing`/`resolved` of each message about `alertname`, in arrival order. */
  statusesOf(alertname: string): string[] {
    return this.messages.filter((m) => m.alerts[0]?.labels.alertname === alertname).map((m) => m.status);
  }
}
