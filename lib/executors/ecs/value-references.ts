import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { configMapParameterName } from '../../model/references.js';

/**
 * The ECS `secrets` of one task definition: a Secret key (Secrets Manager, the SecretString's JSON
 * field) or a ConfigMap key (its SSM parameter), each secret and parameter imported once. ECS grants
 * the task's execution role read on exactly those it is given, and resolves them when the task starts.
 */
export class ValueReferences {
  private readonly secrets = new Map<string, secretsmanager.ISecret>();
  private readonly parameters = new Map<string, ssm.IStringParameter>();

  constructor(
    private readonly scope: Construct,
    /** The pod's namespace: where its ConfigMaps live in SSM. */
    private readonly namespace: string,
  ) {}

  secretKey(name: string, key: string): ecs.Secret {
    let secret = this.secrets.get(name);
    if (!secret) {
      secret = secretsmanager.Secret.fromSecretNameV2(this.scope, `Secret${this.secrets.size}`, name);
      this.secrets.set(name, secret);
    }
    return ecs.Secret.fromSecretsManager(secret, key);
  }

  configMapKey(name: string, key: string): ecs.Secret {
    const parameterName = configMapParameterName(this.namespace, name, key);
    let parameter = this.parameters.get(parameterName);
    if (!parameter) {
      const id = `Parameter${this.parameters.size}`;
      parameter = ssm.StringParameter.fromStringParameterName(this.scope, id, parameterName);
      this.parameters.set(parameterName, parameter);
    }
    return ecs.Secret.fromSsmParameter(parameter);
  }
}
