import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { EXECUTION_NAME_PATTERN } from './names.js';

export type RunsApiAuthorization = 'iam' | 'apiKey';

export interface PodRunsApiProps {
  /** The STANDARD state machine the API starts and describes. */
  readonly stateMachine: sfn.IStateMachine;
  /**
   * `iam`: callers sign requests with SigV4 and need execute-api:Invoke. `apiKey`: callers send
   * `x-api-key`; a key and a usage plan are created (its value stays in API Gateway, not the template).
   * @default 'iam'
   */
  readonly authorization?: RunsApiAuthorization;
  /** Steady-state requests per second on the stage. @default 10 */
  readonly throttlingRateLimit?: number;
  /** Burst of requests on the stage. @default 20 */
  readonly throttlingBurstLimit?: number;
  /** @default 'v1' */
  readonly stageName?: string;
  /**
   * Access and error logs of the stage. API Gateway writes them through the one CloudWatch role
   * of the account and region, which this sets (AWS::ApiGateway::Account).
   * @default true
   */
  readonly logging?: boolean;
  /** @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
}

export { EXECUTION_NAME_PATTERN };

/** What a refused POST /runs says (400); a single-quoted VTL literal, so no apostrophe. */
const BAD_REQUEST = 'the body must be a JSON object {"name"?: 1-80 of [A-Za-z0-9_-], "input"?: object}';
/** The same name rule as EXECUTION_NAME_PATTERN, for String.matches (a whole-string match, in Java and LocalStack). */
const NAME_RULE = '[A-Za-z0-9_-]{1,80}';

/**
 * VTL that embeds a value in a JSON string with two literal replacements (backslash, quote), the
 * same in API Gateway's Velocity and LocalStack's: $util.escapeJavaScript turns ' into \' (not JSON)
 * on AWS and not on LocalStack, so no after-the-fact repair is right on both. A single-quoted VTL
 * literal has no escapes in either. JSON text from $input.json holds no raw control character.
 */
const JSON_STRING_HELPERS = [`#set($bs = '\\')`, `#set($q = '"')`];
const jsonString = (ref: string) => `${ref}.replace($bs, "$bs$bs").replace($q, "$bs$q")`;

/**
 * POST /runs → StartExecution. The input is `$input.json('$.input')` unchanged (compact JSON on AWS;
 * LocalStack's re-serialization adds a space after ':' and ','). A request the model lets through
 * but that is not a run — an empty body, a name the model's `$` passes with a trailing newline — is
 * refused by sending Step Functions an input that is not JSON: it answers InvalidExecutionInput,
 * which becomes a 400 with BAD_REQUEST.
 */
export function startTemplate(machineArn: string): string {
  return [
    ...JSON_STRING_HELPERS,
    `#set($name = "$!input.path('$.name')")`,
    `#set($runInput = $input.json('$.input'))`,
    // No input: API Gateway's json() gives "" or null, LocalStack's '""'.
    `#if("$!runInput" == "" || "$!runInput" == "null" || "$!runInput" == '""')#set($runInput = '{}')#end`,
    // An empty body: API Gateway's body is "", LocalStack's "{}", but in both $input.path('$') is nothing.
    `#set($valid = true)`,
    `#if("$!input.path('$')" == "" || "$!input.body" == "")#set($valid = false)#end`,
    `#if($name != "" && !$name.matches('${NAME_RULE}'))#set($valid = false)#end`,
    '{',
    `  "stateMachineArn": "${machineArn}",`,
    `  #if($valid && $name != "")"name": "$name",#end`,
    `  "input": "#if($valid)${jsonString('$runInput')}#{else}pod2sfn: not a run request#end"`,
    '}',
  ].join('\n');
}

/**
 * The execution `{id}` names, as the `"executionArn"` member of a request: an execution name, or the
 * URL-encoded ARN of an execution of this state machine; anything else (another state machine's ARN
 * included) is sent as an ARN that cannot exist, which Step Functions answers InvalidArn → 404. Not IAM alone.
 */
function executionArnMember(executionPrefix: string): string[] {
  return [
    `#set($id = $util.urlDecode($input.params('id')))`,
    `#set($prefix = "${executionPrefix}")`,
    `#if($id.startsWith($prefix))#set($id = $id.substring($prefix.length()))#end`,
    `"executionArn": "#if($id.matches('${NAME_RULE}'))${executionPrefix}$id` +
      `#{else}not-a-run-of-this-state-machine#end"`,
  ];
}

/** GET /runs/{id} → DescribeExecution. */
export function describeTemplate(executionPrefix: string): string {
  const lines = executionArnMember(executionPrefix);
  return [...lines.slice(0, -1), `{${lines.at(-1)}}`].join('\n');
}

/**
 * The `nextToken` query parameter, as a member of a paged request (after the ones before it). API
 * Gateway has decoded it; Step Functions' tokens are base64 text, escaped all the same.
 */
const NEXT_TOKEN = [
  `#set($token = "$!input.params('nextToken')")`,
  `#if($token != ""), "nextToken": "${jsonString('$token')}"#end`,
];

/** GET /runs?nextToken= → ListExecutions of this state machine, newest first, a page of 100. */
export function listTemplate(machineArn: string): string {
  return [
    ...JSON_STRING_HELPERS,
    NEXT_TOKEN[0],
    `{"stateMachineArn": "${machineArn}", "maxResults": ${LIST_PAGE}${NEXT_TOKEN[1]}}`,
  ].join('\n');
}

/** GET /runs/{id}/events?nextToken= → GetExecutionHistory, with inputs and outputs (what the status reads). */
export function eventsTemplate(executionPrefix: string): string {
  const arn = executionArnMember(executionPrefix);
  return [
    ...JSON_STRING_HELPERS,
    ...arn.slice(0, -1),
    NEXT_TOKEN[0],
    `{${arn.at(-1)}, "maxResults": ${EVENTS_PAGE}, "includeExecutionData": true${NEXT_TOKEN[1]}}`,
  ].join('\n');
}

/** Page sizes: what Step Functions allows (1000), less for executions, which a client reads all of. */
const LIST_PAGE = 100;
const EVENTS_PAGE = 1000;

/**
 * The runs of one state machine, as AWS integrations with no Lambda in between (StepFunctionsRestApi
 * calls StartSyncExecution, EXPRESS only: docs/design.md §3):
 *
 * - `POST /runs` → StartExecution. Body `{"name"?: string, "input"?: object}` (validated by a model);
 *   answers 202 `{"executionArn", "startDate"}`, 400 on a bad body, 409 when the name was used for another input.
 * - `GET /runs?nextToken=` → ListExecutions: `{"executions": [{name, executionArn, status, startDate,
 *   stopDate}], "nextToken"?}`, newest first.
 * - `GET /runs/{id}` → DescribeExecution; `GET /runs/{id}/events?nextToken=` → GetExecutionHistory
 *   (`{"events", "nextToken"?}`). `{id}`: an execution name of this state machine, or a URL-encoded
 *   execution ARN; 404 when there is no such execution.
 * - `GET /definition` → DescribeStateMachine: what a client with only this API needs to map a history
 *   to a Pod status (`pod2sfn status RUN --api URL`).
 *
 * Answers are Step Functions' JSON as it comes (dates in epoch seconds).
 */
export class PodRunsApi extends Construct {
  readonly api: apigateway.RestApi;
  readonly role: iam.Role;
  readonly apiKey?: apigateway.IApiKey;
  /** `https://…/<stage>/runs` */
  readonly runsUrl: string;

  constructor(scope: Construct, id: string, props: PodRunsApiProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const authorization = props.authorization ?? 'iam';
    const logging = props.logging ?? true;
    const machineArn = props.stateMachine.stateMachineArn;
    const machineName = stack.splitArn(machineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName!;
    const executionPrefix = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${machineName}:`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    this.role = new iam.Role(this, 'IntegrationRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'pod2sfn runs API: start, list and describe executions of one state machine',
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'StartAndListRuns',
        actions: ['states:StartExecution', 'states:ListExecutions', 'states:DescribeStateMachine'],
        resources: [machineArn],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'DescribeRuns',
        actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
        resources: [`${executionPrefix}*`],
      }),
    );

    const accessLogs = logging
      ? new logs.LogGroup(this, 'AccessLogs', {
          retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
          removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
        })
      : undefined;
    this.api = new apigateway.RestApi(this, 'Api', {
      description: 'pod2sfn: start pod runs and read their status',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      cloudWatchRole: logging,
      ...(logging && { cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN }),
      deployOptions: {
        stageName: props.stageName ?? 'v1',
        throttlingRateLimit: props.throttlingRateLimit ?? 10,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 20,
        ...(accessLogs && {
          accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
          accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
          loggingLevel: apigateway.MethodLoggingLevel.ERROR,
          dataTraceEnabled: false,
        }),
      },
      defaultMethodOptions:
        authorization === 'iam'
          ? { authorizationType: apigateway.AuthorizationType.IAM }
          : { authorizationType: apigateway.AuthorizationType.NONE, apiKeyRequired: true },
    });

    const validator = this.api.addRequestValidator('Validator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const startModel = this.api.addModel('StartRun', {
      contentType: 'application/json',
      modelName: 'StartRun',
      description: 'A pod run: an optional execution name (the idempotency key) and execution input',
      schema: {
        schema: apigateway.JsonSchemaVersion.DRAFT4,
        title: 'StartRun',
        type: apigateway.JsonSchemaType.OBJECT,
        properties: {
          name: { type: apigateway.JsonSchemaType.STRING, pattern: EXECUTION_NAME_PATTERN },
          input: { type: apigateway.JsonSchemaType.OBJECT },
        },
        additionalProperties: false,
      },
    });

    const errorTemplate = (statusByType: Record<string, number>) =>
      [
        ...JSON_STRING_HELPERS,
        `#set($type = "$!input.path('$.__type')")`,
        `#set($error = $type.replaceAll("^.*\\W", ""))`,
        `#set($message = "$!input.path('$.message')")`,
        // Our own refusal of a request (see the POST template) is told as such.
        `#if($error == "InvalidExecutionInput")#set($message = '${BAD_REQUEST}')#end`,
        ...Object.entries(statusByType).map(
          ([type, status]) => `#if($error == "${type}")#set($context.responseOverride.status = ${status})#end`,
        ),
        `{"error": "${jsonString('$error')}", "message": "${jsonString('$message')}"}`,
      ].join('\n');
    const errors = (statusByType: Record<string, number>): apigateway.IntegrationResponse[] => [
      {
        selectionPattern: '4\\d{2}',
        statusCode: '400',
        responseTemplates: { 'application/json': errorTemplate(statusByType) },
      },
      { selectionPattern: '5\\d{2}', statusCode: '500', responseTemplates: { 'application/json': errorTemplate({}) } },
    ];
    const integration = (
      action: string,
      requestTemplate: string,
      ok: apigateway.IntegrationResponse,
      statusByType: Record<string, number>,
    ) =>
      new apigateway.AwsIntegration({
        service: 'states',
        action,
        integrationHttpMethod: 'POST',
        options: {
          credentialsRole: this.role,
          passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
          requestTemplates: { 'application/json': requestTemplate },
          integrationResponses: [ok, ...errors(statusByType)],
        },
      });
    const responses = (codes: string[]): apigateway.MethodResponse[] => codes.map((statusCode) => ({ statusCode }));

    const runs = this.api.root.addResource('runs');
    runs.addMethod(
      'POST',
      integration(
        'StartExecution',
        startTemplate(machineArn),
        {
          statusCode: '202',
          responseTemplates: {
            'application/json':
              `{"executionArn": "$input.path('$.executionArn')", ` + `"startDate": $input.json('$.startDate')}`,
          },
        },
        {
          ExecutionAlreadyExists: 409,
          StateMachineDoesNotExist: 500,
          StateMachineDeleting: 500,
          ExecutionLimitExceeded: 429,
        },
      ),
      {
        requestValidator: validator,
        requestModels: { 'application/json': startModel },
        methodResponses: responses(['202', '400', '409', '429', '500']),
      },
    );
    const read = (
      resource: apigateway.IResource,
      action: string,
      template: string,
      notFound: Record<string, number>,
      query: string[] = [],
    ) =>
      resource.addMethod('GET', integration(action, template, { statusCode: '200' }, notFound), {
        requestValidator: validator,
        requestParameters: {
          ...(resource.path.includes('{id}') && { 'method.request.path.id': true }),
          ...Object.fromEntries(query.map((q) => [`method.request.querystring.${q}`, false])),
        },
        methodResponses: responses(['200', '400', '404', '500']),
      });
    const missingRun = { ExecutionDoesNotExist: 404, InvalidArn: 404 };
    read(runs, 'ListExecutions', listTemplate(machineArn), {}, ['nextToken']);
    const run = runs.addResource('{id}');
    read(run, 'DescribeExecution', describeTemplate(executionPrefix), missingRun);
    read(run.addResource('events'), 'GetExecutionHistory', eventsTemplate(executionPrefix), missingRun, ['nextToken']);
    read(this.api.root.addResource('definition'), 'DescribeStateMachine', `{"stateMachineArn": "${machineArn}"}`, {});
    this.runsUrl = this.api.urlForPath('/runs');

    if (authorization === 'apiKey') {
      const plan = this.api.addUsagePlan('UsagePlan', {
        description: 'pod2sfn runs API',
        throttle: { rateLimit: props.throttlingRateLimit ?? 10, burstLimit: props.throttlingBurstLimit ?? 20 },
      });
      plan.addApiStage({ stage: this.api.deploymentStage });
      this.apiKey = this.api.addApiKey('ApiKey', { description: 'pod2sfn runs API key' });
      plan.addApiKey(this.apiKey);
    }
  }
}
