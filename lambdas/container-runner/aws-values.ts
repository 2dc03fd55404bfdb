import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ValueSource } from './types.js';

/**
 * Secrets from AWS Secrets Manager, read when the container starts: the secret named as the
 * Kubernetes Secret, whose SecretString is a JSON object of keys. ConfigMaps have no AWS home yet.
 */
export function secretsManagerValues(client = new SecretsManagerClient({})): ValueSource {
  return {
    async read(kind, namespace, name) {
      if (kind === 'configMap') {
        throw new Error(`ConfigMap "${name}" (namespace ${namespace}): ConfigMaps are not available to the Lambda runner yet; use env values or a Secret`);
      }
      try {
        const secret = await client.send(new GetSecretValueCommand({ SecretId: name }));
        const data = parseObject(secret.SecretString ?? '{}');
        if (data === undefined) throw new Error(`secret "${name}": SecretString is not a JSON object of keys`);
        return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
      } catch (e) {
        if (e instanceof ResourceNotFoundException) return undefined;
        throw e;
      }
    },
  };
}

/** JSON.parse's message quotes the text it failed on: never let a secret value into an error. */
function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
