import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { findExecutable, runTool } from './processes';

/**
 * Files of a throw-away PKI for a TLS Docker engine. The client files use the names the docker CLI expects
 * in `DOCKER_CERT_PATH` (ca.pem, cert.pem, key.pem).
 */
export interface TlsCertificates {
  /** Folder to use as `DOCKER_CERT_PATH`. */
  readonly clientDir: string;
  readonly caFile: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
}

/** P-256 keys: as good as RSA for a test PKI and generated in milliseconds. */
const KEY_ARGS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const VALID_DAYS = '7';

/**
 * Generates a CA, a server certificate for 127.0.0.1/localhost and a client certificate with openssl,
 * replacing whatever `dir` held.
 */
export async function generateTlsCertificates(dir: string): Promise<TlsCertificates> {
  const openssl = findExecutable('openssl', 'openssl');
  rmSync(dir, { recursive: true, force: true });
  const clientDir = path.join(dir, 'client');
  const serverDir = path.join(dir, 'server');
  const caDir = path.join(dir, 'ca');
  for (const folder of [clientDir, serverDir, caDir]) {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  }
  const caKey = path.join(caDir, 'ca-key.pem');
  const caFile = path.join(clientDir, 'ca.pem');
  await runTool(openssl, [
    'req', '-x509', ...KEY_ARGS, '-keyout', caKey, '-out', caFile, '-days', VALID_DAYS, '-subj', '/CN=acrtest test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]); // prettier-ignore

  const issue = async (name: string, keyFile: string, certFile: string, extensions: string): Promise<void> => {
    const request = path.join(caDir, `${name}.csr`);
    const extensionsFile = path.join(caDir, `${name}.ext`);
    writeFileSync(extensionsFile, extensions);
    await runTool(openssl, ['req', ...KEY_ARGS, '-keyout', keyFile, '-out', request, '-subj', `/CN=${name}`]);
    await runTool(openssl, [
      'x509', '-req', '-in', request, '-CA', caFile, '-CAkey', caKey, '-CAcreateserial', '-out', certFile,
      '-days', VALID_DAYS, '-extfile', extensionsFile,
    ]); // prettier-ignore
    chmodSync(keyFile, 0o600);
  };
  const serverKeyFile = path.join(serverDir, 'server-key.pem');
  const serverCertFile = path.join(serverDir, 'server-cert.pem');
  await issue(
    'localhost',
    serverKeyFile,
    serverCertFile,
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n',
  );
  const clientKeyFile = path.join(clientDir, 'key.pem');
  const clientCertFile = path.join(clientDir, 'cert.pem');
  await issue(
    'acrtest-client',
    clientKeyFile,
    clientCertFile,
    'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n',
  );
  return { clientDir, caFile, clientCertFile, clientKeyFile, serverCertFile, serverKeyFile };
}

/** The files of a PKI that {@link generateTlsCertificates} made in `dir` earlier. */
export function certificatesIn(dir: string): TlsCertificates {
  const clientDir = path.join(dir, 'client');
  return {
    clientDir,
    caFile: path.join(clientDir, 'ca.pem'),
    clientCertFile: path.join(clientDir, 'cert.pem'),
    clientKeyFile: path.join(clientDir, 'key.pem'),
    serverCertFile: path.join(dir, 'server', 'server-cert.pem'),
    serverKeyFile: path.join(dir, 'server', 'server-key.pem'),
  };
}
