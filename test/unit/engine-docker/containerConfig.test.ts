import { deepStrictEqual, throws } from 'node:assert';

import { RuntimeError, type ContainerSpec } from '../../../server/src/engine/ContainerRuntime';
import {
  containerCreateBody,
  nanoCpus,
  parseExpose,
  parsePortSpec,
  type ContainerCreateBody,
  type PortBinding,
} from '../../../server/src/engine/docker/containerConfig';

describe('parsePortSpec (docker run -p)', () => {
  const cases: Array<[string, Array<{ port: string; binding: PortBinding }>]> = [
    ['80', [{ port: '80/tcp', binding: { HostIp: '', HostPort: '' } }]],
    ['8080:80', [{ port: '80/tcp', binding: { HostIp: '', HostPort: '8080' } }]],
    ['127.0.0.1:8080:80/udp', [{ port: '80/udp', binding: { HostIp: '127.0.0.1', HostPort: '8080' } }]],
    ['127.0.0.1::80', [{ port: '80/tcp', binding: { HostIp: '127.0.0.1', HostPort: '' } }]],
    ['[::1]:8080:80', [{ port: '80/tcp', binding: { HostIp: '::1', HostPort: '8080' } }]],
    ['53/UDP', [{ port: '53/udp', binding: { HostIp: '', HostPort: '' } }]],
    [
      '8000-8001:80-81',
      [
        { port: '80/tcp', binding: { HostIp: '', HostPort: '8000' } },
        { port: '81/tcp', binding: { HostIp: '', HostPort: '8001' } },
      ],
    ],
    ['9000-9010:80', [{ port: '80/tcp', binding: { HostIp: '', HostPort: '9000-9010' } }]],
  ];
  for (const [input, expected] of cases) it(input, () => deepStrictEqual(parsePortSpec(input), expected));

  const bad = ['', '8080:', 'abc', '1.2.3.999:80:80', '8000-8001:80-82', '80/icmp', '70000'];
  for (const input of bad) {
    it(`rejects "${input}"`, () => throws(() => parsePortSpec(input), RuntimeError));
  }
});

describe('parseExpose and nanoCpus', () => {
  it('expands expose ranges with their protocol', () => {
    deepStrictEqual(
      [parseExpose('80'), parseExpose('7000-7002/udp')],
      [['80/tcp'], ['7000/udp', '7001/udp', '7002/udp']],
    );
  });
  it('rejects a host part in expose', () => throws(() => parseExpose('8080:80'), RuntimeError));

  const cpus: Array<[string, number]> = [
    ['1', 1_000_000_000],
    ['1.5', 1_500_000_000],
    ['0.000000001', 1],
    ['.25', 250_000_000],
    ['2.', 2_000_000_000],
  ];
  for (const [input, expected] of cpus)
    it(`cpus ${input} → ${expected}`, () => deepStrictEqual(nanoCpus(input), expected));
  for (const input of ['', '-1', 'one', '0.0000000001', '1e3']) {
    it(`rejects cpus "${input}"`, () => throws(() => nanoCpus(input), RuntimeError));
  }
});

describe('containerCreateBody', () => {
  const base: ContainerSpec = {
    name: 'build',
    image: 'acrtest/busybox:1',
    args: ['sh', '-c', 'echo hi'],
    env: ['HOME=/acb/home', 'A=1'],
    privileged: false,
    networkAliases: ['build'],
    ports: [],
    expose: [],
    binds: ['ws:/workspace', 'home:/acb/home'],
    autoRemove: true,
    labels: { run: 'r1' },
  };

  it('maps every field like docker run, aliases on a user network', () => {
    const spec: ContainerSpec = {
      ...base,
      entrypoint: ['/bin/sh'],
      workingDir: '/workspace/src',
      user: '1000:1000',
      privileged: true,
      network: 'acb_default_network',
      ports: ['127.0.0.1:8080:80', '8080:80'],
      expose: ['9000'],
      cpus: '0.5',
      isolation: 'process',
    };
    const expected: ContainerCreateBody = {
      name: 'build',
      Image: 'acrtest/busybox:1',
      Cmd: ['sh', '-c', 'echo hi'],
      Entrypoint: ['/bin/sh'],
      Env: ['HOME=/acb/home', 'A=1'],
      WorkingDir: '/workspace/src',
      User: '1000:1000',
      Labels: { run: 'r1' },
      Tty: false,
      OpenStdin: false,
      AttachStdin: false,
      AttachStdout: true,
      AttachStderr: true,
      ExposedPorts: { '9000/tcp': {}, '80/tcp': {} },
      HostConfig: {
        Binds: ['ws:/workspace', 'home:/acb/home'],
        AutoRemove: true,
        Privileged: true,
        NetworkMode: 'acb_default_network',
        PortBindings: {
          '80/tcp': [
            { HostIp: '127.0.0.1', HostPort: '8080' },
            { HostIp: '', HostPort: '8080' },
          ],
        },
        NanoCpus: 500_000_000,
        Isolation: 'process',
      },
      NetworkingConfig: { EndpointsConfig: { acb_default_network: { Aliases: ['build'] } } },
    };
    deepStrictEqual(containerCreateBody(spec, { attach: true }), expected);
  });

  it('leaves optional fields out; no aliases on the default bridge (Docker refuses them)', () => {
    deepStrictEqual(containerCreateBody(base, { attach: false }), {
      name: 'build',
      Image: 'acrtest/busybox:1',
      Cmd: ['sh', '-c', 'echo hi'],
      Env: ['HOME=/acb/home', 'A=1'],
      Labels: { run: 'r1' },
      Tty: false,
      OpenStdin: false,
      AttachStdin: false,
      AttachStdout: false,
      AttachStderr: false,
      HostConfig: {
        Binds: ['ws:/workspace', 'home:/acb/home'],
        AutoRemove: true,
        Privileged: false,
        NetworkMode: 'default',
      },
    });
  });
});
