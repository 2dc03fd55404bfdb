import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { configMapParameterName } from '../../lib/model/references.js';
import { parseObject } from '../../lib/json.js';
import type { ValueSource } from '../../lib/runner/index.js';

/**
 * Values read when the container starts. A Secret: the Secrets Manager secret named as the Kubernetes
 * Secret, whose SecretString is a JSON object of keys. A ConfigMap: the SSM parameters under
 * /pod2sfn/<namespace>/configmaps/<name>/, one per key. Each client's SDK is imported at its first read:
 * a container that reads neither never loads them (dynamic imports stay lazy in the runner's bundle).
 */
export function awsValues(secrets?: SecretsManagerClient, ssm?: SSMClient): ValueSource {
  return {
    async read(kind, namespace, name) {
      if (kind === 'configMap') {
        const { paginateGetParametersByPath, SSMClient } = await import('@aws-sdk/client-ssm');
        ssm ??= new SSMClient({});
        const data: Record<string, string> = {};
        const path = configMapParameterName(namespace, name);
        for await (const page of paginateGetParametersByPath({ client: ssm }, { Path: path, WithDecryption: true })) {
          for (const p of page.Parameters ?? [])
            if (p.Name && p.Value !== undefined) data[p.Name.slice(path.length + 1)] = p.Value;
        }
        return Object.keys(data).length > 0 ? data : undefined;
      }
      const { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } =
        await import('@aws-sdk/client-secrets-manager');
      secrets ??= new SecretsManagerClient({});
      try {
        const secret = await secrets.send(new GetSecretValueCommand({ SecretId: name }));
        const data = parseObject(secret.SecretString ?? '{}');
        if (data === undefined) throw new Error(`secret "${name}": SecretString is not a JSON object of keys`);
        return Object.fromEntries(
          Object.entries(data).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
        );
      } catch (e) {
        if (e instanceof ResourceNotFoundException) return undefined;
        throw e;
      }
    },
  };
}
