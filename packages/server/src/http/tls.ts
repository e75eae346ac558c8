/**
 * TLS material for HTTPS and the TCP device listeners (SEALWATCH_TLS_CERT, SEALWATCH_TLS_KEY):
 * read once at start; an unreadable or mismatched pair stops the start with the file named.
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey, X509Certificate } from 'node:crypto';

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/** Reads and checks the PEM certificate and key. Throws naming the file and what is wrong. */
export function readTlsFiles(files: { certFile: string; keyFile: string }): TlsFiles {
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file);
    } catch (e) {
      throw new Error(`cannot read the TLS ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  };
  const cert = read(files.certFile, 'certificate (SEALWATCH_TLS_CERT)');
  const key = read(files.keyFile, 'private key (SEALWATCH_TLS_KEY)');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new Error(`${files.certFile} is not a PEM certificate (SEALWATCH_TLS_CERT)`);
  }
  try {
    if (!x509.checkPrivateKey(createPrivateKey(key))) throw new Error('mismatch');
  } catch {
    throw new Error(`${files.keyFile} is not the private key of ${files.certFile} (SEALWATCH_TLS_KEY)`);
  }
  return { cert, key };
}
