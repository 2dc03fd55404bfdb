/**
 * File paths in a pod spec, with Kubernetes' rules (pkg/apis/core/validation: validateLocalDescendingPath,
 * validatePathNoBacksteps, validateVolumeMounts) and pod2sfn's: the local sandbox creates mount points,
 * the termination-log file and the working directory itself, so each is absolute and never steps out
 * with `..`.
 */

/** The path has a `..` element (validatePathNoBacksteps). */
function hasBackstep(path: string): boolean {
  return path.split('/').includes('..');
}

/** mountPath, terminationMessagePath, workingDir: an absolute path without `..`. */
export function absolutePathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'must be an absolute path';
  if (hasBackstep(path)) return "must not contain '..'";
  return undefined;
}

/** subPath, subPathExpr (validateLocalDescendingPath). */
export function descendingPathProblem(path: string): string | undefined {
  if (path.startsWith('/')) return 'must be a relative path';
  if (hasBackstep(path)) return "must not contain '..'";
  return undefined;
}

/** A configMap or secret volume's item path (validateLocalNonReservedPath). */
export function itemPathProblem(path: string): string | undefined {
  return descendingPathProblem(path) ?? (path.startsWith('..') ? "must not start with '..'" : undefined);
}
