#!/usr/bin/env node
// The CDK app: `npx cdk synth|deploy -c spec=examples/init-containers.yaml[,more.yaml]` (see cdk.json).
import { App } from 'aws-cdk-lib';
import { addPodStacksOrReport } from '../lib/aws/app.js';

// A spec that does not compile: its errors as `pod2sfn validate` prints them, exit 2, no stack trace.
if (!addPodStacksOrReport(new App())) process.exit(2);
