import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsValues } from '../../lambdas/container-runner/aws-values.js';
import { CLIENT_CONFIG } from './env.js';

/** Where the deployed Lambda runner reads Secret and ConfigMap values, against LocalStack's services. */
const secrets = new SecretsManagerClient(CLIENT_CONFIG);
const ssm = new SSMClient(CLIENT_CONFIG);
const values = awsValues(secrets, ssm);
const suffix = Date.now().toString(36);

beforeAll(async () => {
  await secrets.send(
    new CreateSecretCommand({
      Name: `db-${suffix}`,
      SecretString: JSON.stringify({ password: 's3cr3t "quoted"', port: 5432 }),
    }),
  );
  for (const [key, value] of Object.entries({ mode: 'fast', 'log.level': 'debug' })) {
    await ssm.send(
      new PutParameterCommand({
        Name: `/pod2sfn/default/configmaps/settings-${suffix}/${key}`,
        Value: value,
        Type: 'String',
      }),
    );
  }
});

describe('the Lambda runner reads values at run time', () => {
  it('reads a Secret from Secrets Manager: a JSON object of keys', async () => {
    expect(await values.read('secret', 'default', `db-${suffix}`)).toEqual({
      password: 's3cr3t "quoted"',
      port: '5432',
    });
  });

  it('reads a ConfigMap from SSM, one parameter per key', async () => {
    expect(await values.read('configMap', 'default', `settings-${suffix}`)).toEqual({
      mode: 'fast',
      'log.level': 'debug',
    });
  });

  it('says undefined for what does not exist, so optional references work', async () => {
    expect(await values.read('secret', 'default', `nope-${suffix}`)).toBeUndefined();
    expect(await values.read('configMap', 'other', `settings-${suffix}`)).toBeUndefined();
  });
});
