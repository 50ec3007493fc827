import * as http from 'node:http';
import * as net from 'node:net';

/** A port nothing listens on right now (the OS picks it). */
export async function freeLoopbackPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** HTTP status of a GET, or undefined when nothing answers. */
export async function statusOf(url: string, headers: http.OutgoingHttpHeaders = {}): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = http.get(url, { headers, timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(undefined));
  });
}
