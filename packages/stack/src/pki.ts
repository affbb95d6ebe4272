import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './process.ts';

export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  adminCert: string;
  adminKey: string;
  saKey: string;
  saPub: string;
}

/**
 * Addresses the apiserver's serving certificate must name: loopback, the real node's address in the stack's network
 * namespace (node/topology.ts: the kubelet and pods call the apiserver there), and the first service IP for pods.
 */
export const SERVING_SANS = [
  'IP:127.0.0.1',
  'IP:10.87.0.1',
  'DNS:localhost',
  'IP:10.0.0.1',
  'DNS:kubernetes',
  'DNS:kubernetes.default',
  'DNS:kubernetes.default.svc',
  'DNS:kubernetes.default.svc.cluster.local',
];

/** Where the PKI's files are, without making any. */
export function pkiPaths(dir: string): Pki {
  const p = (name: string) => join(dir, name);
  return {
    dir,
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    servingCert: p('apiserver.crt'),
    servingKey: p('apiserver.key'),
    adminCert: p('admin.crt'),
    adminKey: p('admin.key'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
  };
}

/** An envtest-style PKI made with openssl: a CA, the apiserver's serving pair, an admin client pair, SA keys. */
export async function ensurePki(dir: string, extraSans: string[] = []): Promise<Pki> {
  const p = (name: string) => join(dir, name);
  const pki = pkiPaths(dir);
  const sans = [...SERVING_SANS, ...extraSans].join(',');
  const sansFile = p('apiserver.sans');
  const sansMatch = existsSync(sansFile) && readFileSync(sansFile, 'utf8') === sans;
  const complete = [pki.caCert, pki.servingCert, pki.adminCert, pki.saPub].every(existsSync);
  if (complete && sansMatch) return pki;
  mkdirSync(dir, { recursive: true });
  const ssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  const issue = async (name: string, subject: string, ext: string) => {
    const extFile = p(`${name}.ext`);
    writeFileSync(extFile, ext);
    await ssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      p(`${name}.key`),
      '-out',
      p(`${name}.csr`),
      '-subj',
      subject,
    );
    await ssl(
      'x509',
      '-req',
      '-in',
      p(`${name}.csr`),
      '-CA',
      pki.caCert,
      '-CAkey',
      pki.caKey,
      '-CAcreateserial',
      '-out',
      p(`${name}.crt`),
      '-days',
      '3650',
      '-extfile',
      extFile,
    );
  };
  const issueServing = async () => {
    await issue(
      'apiserver',
      '/CN=kube-apiserver',
      `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${sans}\n`,
    );
    writeFileSync(sansFile, sans);
  };
  // An older PKI whose serving certificate lacks an address: reissue that certificate only, with the same CA.
  if (complete) {
    await issueServing();
    return pki;
  }
  await ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    pki.caKey,
    '-out',
    pki.caCert,
    '-days',
    '3650',
    '-subj',
    '/CN=fraud-operator-local-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
  );
  await issueServing();
  await issue(
    'admin',
    '/O=system:masters/CN=admin',
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n',
  );
  await ssl('genrsa', '-out', pki.saKey, '2048');
  await ssl('rsa', '-in', pki.saKey, '-pubout', '-out', pki.saPub);
  return pki;
}
