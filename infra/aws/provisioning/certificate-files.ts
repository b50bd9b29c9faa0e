/**
 * A device's certificate files, in the layout the simulator's `--target iot --certs DIR` reads
 * (`simulator/output/mqtt-sink.ts`): `{thing}.cert.pem`, `{thing}.private.key` and `AmazonRootCA1.pem`.
 * The private key is readable by its owner only; AWS never hands it out again.
 */
import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';

/** SHA-256 fingerprint of Amazon Root CA 1, the CA of IoT Core's ATS endpoints (https://www.amazontrust.com/repository/). */
const AMAZON_ROOT_CA1_SHA256 = '8E:CD:E6:88:4F:3D:87:B1:12:5B:A3:1A:C3:FC:B1:3D:70:16:DE:7F:57:CC:90:4F:E1:CB:97:C6:AE:98:19:6E';
const ROOT_CA_FILE = 'AmazonRootCA1.pem';

const PRIVATE_KEY_MODE = 0o600;
const PUBLIC_FILE_MODE = 0o644;

export interface CertificateFiles {
  certificate: string;
  privateKey: string;
  /** Undefined when Node's bundled root store has no Amazon Root CA 1 (the TLS connection still trusts the system store). */
  rootCa: string | undefined;
}

function certificateFileNames(dir: string, thingName: string): Pick<CertificateFiles, 'certificate' | 'privateKey'> {
  return { certificate: join(dir, `${thingName}.cert.pem`), privateKey: join(dir, `${thingName}.private.key`) };
}

/** Writes the certificate and private key of a thing (replacing earlier ones of that thing) and the root CA when missing. */
export async function writeCertificateFiles(dir: string, thingName: string, pems: { certificatePem: string; privateKey: string }): Promise<CertificateFiles> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const names = certificateFileNames(dir, thingName);
  // `mode` of writeFile applies only to a new file and passes through the umask: chmod says it exactly.
  await writeFile(names.privateKey, pems.privateKey, { mode: PRIVATE_KEY_MODE });
  await chmod(names.privateKey, PRIVATE_KEY_MODE);
  await writeFile(names.certificate, pems.certificatePem, { mode: PUBLIC_FILE_MODE });
  await chmod(names.certificate, PUBLIC_FILE_MODE);
  return { ...names, rootCa: await writeRootCa(dir) };
}

/** Removes a thing's certificate and key (after a failed provisioning); the shared root CA stays. */
export async function removeCertificateFiles(dir: string, thingName: string): Promise<void> {
  const names = certificateFileNames(dir, thingName);
  await rm(names.privateKey, { force: true });
  await rm(names.certificate, { force: true });
}

/**
 * Amazon Root CA 1 from Node's bundled root store, checked by fingerprint: no download, and the same bytes as
 * https://www.amazontrust.com/repository/AmazonRootCA1.pem.
 */
async function writeRootCa(dir: string): Promise<string | undefined> {
  const path = join(dir, ROOT_CA_FILE);
  const existing = await readFile(path, 'utf8').catch(() => undefined);
  if (existing !== undefined) return path;
  const pem = rootCertificates.find((candidate) => new X509Certificate(candidate).fingerprint256 === AMAZON_ROOT_CA1_SHA256);
  if (!pem) return undefined;
  await writeFile(path, pem.endsWith('\n') ? pem : `${pem}\n`, { mode: PUBLIC_FILE_MODE });
  return path;
}
