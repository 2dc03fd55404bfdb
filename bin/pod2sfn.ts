#!/usr/bin/env node
import '../lib/cli/sdk-warning.js';
import '../lib/cli/compile-cache.js';

// Imported once the compile cache is on: a static import would be compiled before it.
const { main } = await import('../lib/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
