#!/usr/bin/env node
// The CDK app: `npx cdk synth|deploy -c spec=examples/init-containers.yaml[,more.yaml]` (see cdk.json).
import { App } from 'aws-cdk-lib';
import { addPodStacks } from '../lib/aws/app.js';

const app = new App();
addPodStacks(app);
