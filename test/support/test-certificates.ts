/**
 * A throwaway PKI made at test time with the `openssl` CLI, laid out as AWS IoT Core hands it to a device: a CA
 * (written as `AmazonRootCA1.pem`, the CA a bus trusts), a server certificate for 127.0.0.1/localhost signed by
 * it, and per-bus client certificates whose CN is the bus id (`{busId}.cert.pem`, `{busId}.private.key`). An
 * impostor CA, unknown to the server, signs certificates that must be refused. EC P-256 keys: fast to make.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

interface CertificateFiles {
  certPath: string;
  keyPath: string;
}

export interface TestPki {
  /** The temporary directory holding everything. */
  root: string;
  /** The CA every party trusts (the stand-in for Amazon's root CA). */
  ca: CertificateFiles & { pem: string };
  /** The broker's certificate, for 127.0.0.1 and localhost. */
  server: CertificateFiles & { certPem: string; keyPem: string };
  /** The default certificate directory: `AmazonRootCA1.pem` plus what `issueBusCertificate` writes. */
  certsDir: string;
  /** A new certificate directory (holding `AmazonRootCA1.pem`) under the root. */
  newCertificateDirectory(name: string): string;
  /** A client certificate with CN = busId signed by the CA, written as `{dir}/{busId}.cert.pem` / `.private.key`. */
  issueBusCertificate(busId: string, dir?: string): CertificateFiles;
  /** The same, but signed by another CA that merely calls itself the same name: the server must refuse it. */
  issueImpostorCertificate(busId: string, dir?: string): CertificateFiles;
  /** Removes every file made. */
  cleanup(): void;
}

const OPENSSL_CONFIG = `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

const CA_NAME = 'BusFlow Test Root CA';

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8', env: { ...process.env, OPENSSL_CONF: join(cwd, 'openssl.cnf') } });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? 'the `openssl` command is needed to make test certificates but was not found on PATH (Debian/Ubuntu: apt-get install openssl)'
        : `openssl ${args[0]} could not run: ${r.error.message}`,
    );
  }
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed (exit ${r.status}): ${r.stderr.trim()}`);
}

/** A key and a CSR with subject CN = cn, then the certificate signed by the issuer with the given extensions. */
function issue(cwd: string, cn: string, issuer: CertificateFiles, extensions: string, out: CertificateFiles): void {
  if (!/^[A-Za-z0-9_. -]{1,64}$/.test(cn)) throw new Error(`cannot issue a test certificate for CN "${cn}": use letters, digits, _ . - and spaces`);
  const csr = join(cwd, `${randomBytes(6).toString('hex')}.csr`);
  openssl(
    [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      out.keyPath,
      '-out',
      csr,
      '-subj',
      `/CN=${cn}`,
      '-config',
      'openssl.cnf',
    ],
    cwd,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      issuer.certPath,
      '-CAkey',
      issuer.keyPath,
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-days',
      '2',
      '-sha256',
      '-extfile',
      'openssl.cnf',
      '-extensions',
      extensions,
      '-out',
      out.certPath,
    ],
    cwd,
  );
  rmSync(csr, { force: true });
}

function selfSignedCa(cwd: string, name: string, files: CertificateFiles): void {
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      files.keyPath,
      '-out',
      files.certPath,
      '-subj',
      `/CN=${name}`,
      '-days',
      '2',
      '-sha256',
      '-config',
      'openssl.cnf',
      '-extensions',
      'ca_ext',
    ],
    cwd,
  );
}

/** Makes the CA and the server certificate in a fresh temporary directory (and a certificate per bus given). */
export function createTestPki(busIds: readonly string[] = []): TestPki {
  const root = mkdtempSync(join(tmpdir(), 'busflow-pki-'));
  try {
    writeFileSync(join(root, 'openssl.cnf'), OPENSSL_CONFIG);
    const caDir = join(root, 'ca');
    mkdirSync(caDir);
    const ca: CertificateFiles = { certPath: join(caDir, 'ca.pem'), keyPath: join(caDir, 'ca.key') };
    selfSignedCa(root, CA_NAME, ca);
    const server: CertificateFiles = { certPath: join(caDir, 'server.pem'), keyPath: join(caDir, 'server.key') };
    issue(root, 'localhost', ca, 'server_ext', server);

    let impostorCa: CertificateFiles | undefined;
    const impostor = (): CertificateFiles => {
      if (!impostorCa) {
        const dir = join(root, 'impostor-ca');
        mkdirSync(dir);
        impostorCa = { certPath: join(dir, 'ca.pem'), keyPath: join(dir, 'ca.key') };
        // Same name as the real CA: only the signature tells them apart.
        selfSignedCa(root, CA_NAME, impostorCa);
      }
      return impostorCa;
    };

    const newCertificateDirectory = (name: string): string => {
      const dir = join(root, name);
      mkdirSync(dir, { recursive: true });
      copyFileSync(ca.certPath, join(dir, 'AmazonRootCA1.pem'));
      return dir;
    };
    const certsDir = newCertificateDirectory('certs');
    const busFiles = (busId: string, dir: string): CertificateFiles => ({
      certPath: join(dir, `${busId}.cert.pem`),
      keyPath: join(dir, `${busId}.private.key`),
    });

    const pki: TestPki = {
      root,
      ca: { ...ca, pem: readFileSync(ca.certPath, 'utf8') },
      server: { ...server, certPem: readFileSync(server.certPath, 'utf8'), keyPem: readFileSync(server.keyPath, 'utf8') },
      certsDir,
      newCertificateDirectory,
      issueBusCertificate: (busId, dir = certsDir) => {
        const files = busFiles(busId, dir);
        issue(root, busId, ca, 'client_ext', files);
        return files;
      },
      issueImpostorCertificate: (busId, dir = newCertificateDirectory('impostor')) => {
        const files = busFiles(busId, dir);
        issue(root, busId, impostor(), 'client_ext', files);
        return files;
      },
      cleanup: () => rmSync(root, { recursive: true, force: true }),
    };
    for (const busId of busIds) pki.issueBusCertificate(busId);
    return pki;
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
}
