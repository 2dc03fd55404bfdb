/**
 * Image references as the kubelet reads them (docker/distribution's reference grammar, through
 * ParseNormalizedNamed): a reference that does not parse is the kubelet's InvalidImageName, and one
 * that starts with `-` would be read as flags by `docker run`. The grammar is rewritten so that a failing
 * match is cheap in a backtracking engine (Go's is linear): distribution's separator `[-]*` may be empty,
 * which makes `[a-z0-9]+([-]*[a-z0-9]+)*` exponential; `-+` matches the same language.
 */
const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|-+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::${TAG})?(?:@${DIGEST})?$`);

/** distribution's NameTotalLengthMax. */
const MAX_NAME = 255;
/** A name, a 128-character tag and a long digest; checked before the pattern runs. */
const MAX_REFERENCE = 1024;

const GRAMMAR = 'must be a valid image reference: [registry[:port]/]name[:tag][@digest], e.g. "alpine:3.20"';

/** Why `image` is not a reference the kubelet could pull, or undefined when it is one. */
export function imageProblem(image: string): string | undefined {
  if (image.trim() !== image) return 'must not have leading or trailing whitespace';
  if (image.startsWith('-')) return "must not start with '-'";
  if (image.length > MAX_REFERENCE) return `must be no more than ${MAX_REFERENCE} characters`;
  const match = REFERENCE.exec(image);
  if (!match) return REFERENCE.test(image.toLowerCase()) ? 'repository name must be lowercase' : GRAMMAR;
  if (match[1]!.length > MAX_NAME) return `repository name must not be more than ${MAX_NAME} characters`;
  return undefined;
}
