import { describe, expect, it } from 'vitest';
import { endpointOf } from '../lib/endpoints.js';

describe('endpointOf (lib/endpoints.ts)', () => {
  it.each([
    [
      'the service’s own variable, over the general one',
      { AWS_ENDPOINT_URL_SFN: 'http://sfn', AWS_ENDPOINT_URL: 'http://all' },
      { endpoint: 'http://sfn' },
    ],
    [
      'the general variable when the service has none',
      { AWS_ENDPOINT_URL_S3: 'http://s3', AWS_ENDPOINT_URL: 'http://all' },
      { endpoint: 'http://all' },
    ],
    ['nothing when neither is set: the SDK finds the endpoint', {}, {}],
  ])('takes %s', (_what, env, expected) => {
    expect(endpointOf(env, 'SFN')).toEqual(expected);
  });
});
