import type { SFNClient } from '@aws-sdk/client-sfn';
import { endpointOf } from '../endpoints.js';
import type { Io } from './io.js';

/**
 * A Step Functions client from the usual AWS environment: credentials and region chains,
 * AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_SFN (LocalStack: http://127.0.0.1:4566). Loaded on demand.
 */
export async function sfnClient(io: Io): Promise<SFNClient> {
  const { SFNClient } = await import('@aws-sdk/client-sfn');
  const client = new SFNClient(endpointOf(io.env, 'SFN'));
  // Say what to set, rather than the SDK's bare "Region is missing" at the first call.
  await client.config.region().catch(() => {
    throw new Error(
      'no AWS region: set AWS_REGION (or AWS_PROFILE with a region); ' +
        'for LocalStack also AWS_ENDPOINT_URL=http://127.0.0.1:4566',
    );
  });
  return client;
}

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

/** AWS Signature Version 4 headers for one request (execute-api: IAM-authorized API Gateway). */
export async function signV4(
  request: { method: string; url: URL; headers: Record<string, string>; body: string },
  credentials: Credentials,
  region: string,
  service: string,
  now: Date = new Date(),
): Promise<Record<string, string>> {
  const [{ SignatureV4 }, { Sha256 }] = await Promise.all([
    import('@smithy/signature-v4'),
    import('@aws-crypto/sha256-js'),
  ]);
  const signer = new SignatureV4({ service, region, credentials, sha256: Sha256, applyChecksum: false });
  const query = Object.fromEntries(request.url.searchParams.entries());
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: request.url.protocol,
      hostname: request.url.hostname,
      ...(request.url.port && { port: Number(request.url.port) }),
      path: request.url.pathname,
      query,
      headers: { ...request.headers, host: request.url.host },
      body: request.body,
    },
    { signingDate: now },
  );
  return signed.headers;
}
