import { join } from 'node:path';

/** Where the tests find LocalStack, and the AWS environment every client and child process gets. */
export const ENDPOINT = (process.env.LOCALSTACK_ENDPOINT ?? 'http://127.0.0.1:4566').replace(/\/$/, '');
export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';

export const AWS_ENV = {
  AWS_ENDPOINT_URL: ENDPOINT,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: REGION,
  AWS_DEFAULT_REGION: REGION,
  CDK_DISABLE_CLI_TELEMETRY: 'true',
} as const;

export const CLIENT_CONFIG = {
  endpoint: ENDPOINT,
  region: REGION,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};

/** The mock config file up.sh points LocalStack at, unless the user runs their own LocalStack. */
export const SFN_MOCK_CONFIG =
  process.env.SFN_MOCK_CONFIG ?? join(import.meta.dirname, '../../.localstack/sfn-mock-config.json');
