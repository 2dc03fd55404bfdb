/**
 * pod2sfn as a construct library (`import { PodStateMachine, PodRunsApi } from 'pod2sfn'`): the CDK
 * constructs, with aws-cdk-lib and constructs as peer dependencies (the app's own copies), plus
 * everything of `pod2sfn/core` (compile API, Pod status mapper, kubectl columns). Loads aws-cdk-lib.
 */
export * from './core.js';
export * from './aws/index.js';
