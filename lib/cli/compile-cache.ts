import module from 'node:module';

/**
 * Imported by bin/pod2sfn.ts before it loads the CLI. On Node ≥ 22.1, V8 keeps the code it compiled
 * for pod2sfn's modules on disk and the next start reads it back instead of compiling again (about half
 * of a cold `validate` is compiling zod and js-yaml). The cache lives where Node puts it by default
 * (NODE_COMPILE_CACHE, else node-compile-cache under the OS temp dir), never in the user's directory;
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off. Node 20 has no such function: nothing happens, no warning.
 */
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
