/**
 * ContainerSpec → the Engine API's `POST /containers/create` body, with the docker CLI's parsing of
 * `-p`, `--expose` and `--cpus` (moby `nat.ParsePortSpec`, `opts.NanoCPUs`), so a step behaves as
 * `docker run` would. The body type is our own description of the API JSON, not a dockerode type.
 */
import { RuntimeError, type ContainerSpec } from '../ContainerRuntime';

export interface PortBinding {
  HostIp: string;
  HostPort: string;
}

/** The subset of the create body we send. */
export interface ContainerCreateBody {
  name: string;
  Image: string;
  Cmd: string[];
  Entrypoint?: string[];
  Env: string[];
  WorkingDir?: string;
  User?: string;
  Labels: Record<string, string>;
  Tty: false;
  OpenStdin: false;
  AttachStdin: false;
  AttachStdout: boolean;
  AttachStderr: boolean;
  ExposedPorts?: Record<string, Record<string, never>>;
  HostConfig: {
    Binds: string[];
    AutoRemove: boolean;
    Privileged: boolean;
    NetworkMode: string;
    PortBindings?: Record<string, PortBinding[]>;
    NanoCpus?: number;
    Isolation?: string;
  };
  NetworkingConfig?: { EndpointsConfig: Record<string, { Aliases: string[] }> };
}

const OPERATION = 'create container';
/** Networks on which Docker refuses network-scoped aliases. */
const BUILT_IN_NETWORKS = new Set(['bridge', 'host', 'none', 'default']);

/** Build the create body; throws {@link RuntimeError} for a bad `-p`, `--expose` or `--cpus` value. */
export function containerCreateBody(spec: ContainerSpec, options: { attach: boolean }): ContainerCreateBody {
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, PortBinding[]> = {};
  for (const value of spec.expose) {
    for (const port of parseExpose(value)) exposed[port] = {};
  }
  for (const value of spec.ports) {
    for (const { port, binding } of parsePortSpec(value)) {
      exposed[port] = {};
      (bindings[port] ??= []).push(binding);
    }
  }
  const network = spec.network ?? 'default';
  const body: ContainerCreateBody = {
    name: spec.name,
    Image: spec.image,
    Cmd: spec.args,
    Env: spec.env,
    Labels: spec.labels,
    Tty: false,
    OpenStdin: false,
    AttachStdin: false,
    AttachStdout: options.attach,
    AttachStderr: options.attach,
    HostConfig: {
      Binds: spec.binds,
      AutoRemove: spec.autoRemove,
      Privileged: spec.privileged,
      NetworkMode: network,
    },
  };
  if (spec.entrypoint) body.Entrypoint = spec.entrypoint;
  if (spec.workingDir !== undefined) body.WorkingDir = spec.workingDir;
  if (spec.user !== undefined) body.User = spec.user;
  if (Object.keys(exposed).length > 0) body.ExposedPorts = exposed;
  if (Object.keys(bindings).length > 0) body.HostConfig.PortBindings = bindings;
  if (spec.cpus !== undefined) body.HostConfig.NanoCpus = nanoCpus(spec.cpus);
  if (spec.isolation !== undefined) body.HostConfig.Isolation = spec.isolation;
  const aliasable = spec.network !== undefined && !BUILT_IN_NETWORKS.has(network) && !network.startsWith('container:');
  if (aliasable && spec.networkAliases.length > 0) {
    body.NetworkingConfig = { EndpointsConfig: { [network]: { Aliases: spec.networkAliases } } };
  }
  return body;
}

/** One `-p` value → `port/proto` keys and bindings; `[ip:][hostPort:]containerPort[/proto]`, ranges allowed. */
export function parsePortSpec(raw: string): Array<{ port: string; binding: PortBinding }> {
  const parts = raw.split(':');
  const last = parts.length - 1;
  const containerPart = parts[last] ?? '';
  const hostPort = parts.length >= 2 ? (parts[last - 1] ?? '') : '';
  let ip = parts.length >= 3 ? parts.slice(0, last - 1).join(':') : '';
  const [proto, containerPort] = splitProtoPort(containerPart);
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  if (ip !== '' && !isIpAddress(ip)) throw new RuntimeError(`invalid IP address in port "${raw}": ${ip}`, OPERATION);
  if (containerPort === '') throw new RuntimeError(`no container port specified in "${raw}"`, OPERATION);
  const container = parsePortRange(containerPort);
  if (!container) throw new RuntimeError(`invalid container port in "${raw}": ${containerPort}`, OPERATION);
  const host = hostPort === '' ? undefined : parsePortRange(hostPort);
  if (hostPort !== '' && !host) throw new RuntimeError(`invalid host port in "${raw}": ${hostPort}`, OPERATION);
  const containerSpan = container.end - container.start;
  if (host && host.end - host.start !== containerSpan && containerSpan !== 0) {
    throw new RuntimeError(`invalid ranges for container and host ports in "${raw}"`, OPERATION);
  }
  if (!['tcp', 'udp', 'sctp'].includes(proto.toLowerCase())) {
    throw new RuntimeError(`invalid protocol in port "${raw}": ${proto}`, OPERATION);
  }
  const result: Array<{ port: string; binding: PortBinding }> = [];
  for (let i = 0; i <= containerSpan; i++) {
    let hostValue = host ? String(host.start + i) : '';
    // A single container port with a host range: the engine picks a free port from that range.
    if (host && containerSpan === 0 && host.start !== host.end) hostValue = `${host.start}-${host.end}`;
    result.push({
      port: `${container.start + i}/${proto.toLowerCase()}`,
      binding: { HostIp: ip, HostPort: hostValue },
    });
  }
  return result;
}

/** One `--expose` value (`80`, `8000-8010/udp`) → `port/proto` keys. */
export function parseExpose(raw: string): string[] {
  if (raw.includes(':')) throw new RuntimeError(`invalid port format for expose: "${raw}"`, OPERATION);
  const [proto, portPart] = splitProtoPort(raw);
  const range = parsePortRange(portPart);
  if (!range) throw new RuntimeError(`invalid port range for expose: "${raw}"`, OPERATION);
  const ports: string[] = [];
  for (let port = range.start; port <= range.end; port++) ports.push(`${port}/${proto}`);
  return ports;
}

/** `--cpus` → NanoCpus, exactly (no float rounding); more than 9 decimals is "too precise", as in docker. */
export function nanoCpus(raw: string): number {
  const match = /^(\d*)(?:\.(\d*))?$/.exec(raw.trim());
  const whole = match?.[1] ?? '';
  const fraction = match?.[2] ?? '';
  if (!match || (whole === '' && fraction === '')) {
    throw new RuntimeError(`cpus "${raw}" is not a non-negative decimal number`, OPERATION);
  }
  if (fraction.replace(/0+$/, '').length > 9) throw new RuntimeError(`cpus "${raw}" is too precise`, OPERATION);
  return Number(whole || '0') * 1e9 + Number(fraction.padEnd(9, '0').slice(0, 9));
}

function splitProtoPort(raw: string): [proto: string, port: string] {
  const parts = raw.split('/');
  const port = parts[0] ?? '';
  if (raw === '' || port === '') return ['', ''];
  if (parts.length === 1 || parts[1] === '') return ['tcp', port];
  return [parts[1] ?? 'tcp', port];
}

function parsePortRange(raw: string): { start: number; end: number } | undefined {
  const match = /^(\d+)(?:-(\d+))?$/.exec(raw);
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = match[2] === undefined ? start : Number(match[2]);
  if (start > 65535 || end > 65535 || end < start) return undefined;
  return { start, end };
}

function isIpAddress(value: string): boolean {
  if (/^(\d{1,3})(\.\d{1,3}){3}$/.test(value)) return value.split('.').every((octet) => Number(octet) <= 255);
  return /^[0-9a-f:.]+$/i.test(value) && value.includes(':');
}
