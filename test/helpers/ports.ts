import net, { type AddressInfo } from 'node:net';

/** A port on 127.0.0.1 that was free a moment ago and has no listener now: connections are refused. */
export async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
