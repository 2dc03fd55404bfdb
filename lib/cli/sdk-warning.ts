/**
 * Imported first by bin/pod2sfn.ts, before anything loads the AWS SDK for JavaScript. On Node 20 the SDK
 * prints an 8-line NodeVersionSupportWarning in every process that makes a client: its releases after
 * the first week of January 2027 will need Node 22. pod2sfn pins its SDK version, so that says nothing
 * about the pod2sfn a user runs; the CLI turns it off unless the user set the variable themselves
 * (AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false shows it). README "Node.js" says so.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
