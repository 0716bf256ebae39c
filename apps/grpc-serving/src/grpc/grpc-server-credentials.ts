import { ServerCredentials } from '@grpc/grpc-js';
import { loadCaFile, type ServerTls } from '@bnpl/platform';

/**
 * The gRPC port's credentials: plain text without a certificate; TLS with one; mutual TLS when a client CA
 * is given as well (grpc-js then requires a client certificate that chains to it and refuses the
 * handshake otherwise, before any call is read).
 */
export function grpcServerCredentials(tls: ServerTls | undefined, clientCaFile: string | undefined): ServerCredentials {
  if (!tls) return ServerCredentials.createInsecure();
  const clientCa = clientCaFile === undefined ? null : loadCaFile('grpc-serving', 'GRPC_CLIENT_CA_FILE', clientCaFile);
  return ServerCredentials.createSsl(clientCa, [{ cert_chain: tls.cert, private_key: tls.key }], clientCa !== null);
}
