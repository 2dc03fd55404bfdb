/** The process environment, as the AWS clients read it. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Where one AWS service is reached: AWS_ENDPOINT_URL_<SERVICE> (the SDK's own names: S3, SFN, ECS,
 * CLOUDWATCH_LOGS...), else AWS_ENDPOINT_URL (LocalStack: http://127.0.0.1:4566), else the SDK's default.
 * The one place every client of pod2sfn's takes its endpoint from.
 */
export function endpointOf(env: Env, service: string): { endpoint?: string } {
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL;
  return endpoint ? { endpoint } : {};
}
