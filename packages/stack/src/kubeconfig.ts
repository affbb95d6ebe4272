import { readFileSync } from 'node:fs';
import type { Pki } from './pki.ts';

const b64 = (path: string) => readFileSync(path).toString('base64');

/** An admin kubeconfig with the certificates embedded, so it works from any directory or machine user. */
export function adminKubeconfig(server: string, pki: Pki, name = 'fraud-operator-local'): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: ${name}
  cluster:
    server: ${server}
    certificate-authority-data: ${b64(pki.caCert)}
users:
- name: admin
  user:
    client-certificate-data: ${b64(pki.adminCert)}
    client-key-data: ${b64(pki.adminKey)}
contexts:
- name: ${name}
  context:
    cluster: ${name}
    user: admin
current-context: ${name}
`;
}
