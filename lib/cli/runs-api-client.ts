import type { SFNClient } from '@aws-sdk/client-sfn';
import type { HistoryEventLike } from '../status/history.js';
import { sfnClient, signV4 } from './aws.js';
import type { Io } from './io.js';

/**
 * A client of a pod's runs API (lib/aws/pod-runs-api.ts): requests signed with SigV4 from the usual
 * AWS environment, or sent with an API key. Answers are Step Functions' own JSON (dates in epoch seconds).
 */
export interface RunsApi {
  /** The stage's URL, without `/runs`. */
  readonly stage: string;
  /** `path` under the stage: `/runs`, `/runs/NAME/events`, `/definition`. */
  request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiAnswer>;
}

export interface ApiAnswer {
  readonly status: number;
  readonly json: Record<string, unknown>;
}

/** The runs URL of an API: the stack's ApiUrl output (…/runs), or the stage URL it sits under. */
export function runsUrl(api: string): URL {
  const trimmed = api.replace(/\/+$/, '');
  return new URL(trimmed.endsWith('/runs') ? trimmed : `${trimmed}/runs`);
}

export function runsApi(api: string, apiKey: string | undefined, io: Io): RunsApi {
  const stage = runsUrl(api).href.replace(/\/runs$/, '');
  // One client for every signed request: its credential chain (SSO, instance metadata) resolves once.
  let signer: Promise<SFNClient> | undefined;
  return {
    stage,
    async request(method, path, body) {
      const target = new URL(`${stage}${path}`);
      const text = body === undefined ? '' : JSON.stringify(body);
      let headers: Record<string, string> = { 'content-type': 'application/json' };
      if (apiKey !== undefined) headers['x-api-key'] = apiKey;
      else {
        const client = await (signer ??= sfnClient(io));
        const credentials = await client.config.credentials();
        const region =
          /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(target.host)?.[1] ?? (await client.config.region());
        headers = await signV4({ method, url: target, headers, body: text }, credentials, region, 'execute-api');
        delete headers.host;
      }
      const response = await fetch(target, { method, headers, ...(method === 'POST' && { body: text }) });
      const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      return { status: response.status, json };
    },
  };
}

/** An answer that is not the one expected, as an error naming the URL, the status and the API's message. */
export function apiError(api: RunsApi, path: string, answer: ApiAnswer): Error {
  const { error, message } = answer.json as { error?: string; message?: string };
  return new Error(
    `${api.stage}${path}: HTTP ${answer.status}${error ? ` ${error}` : ''}${message ? `: ${message}` : ''}`,
  );
}

/** Step Functions' JSON protocol writes dates as epoch seconds; the SDK gives Dates. */
export function dateOf(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value === 'string' && value !== '')
    return new Date(Number.isNaN(Number(value)) ? value : Number(value) * 1000);
  return undefined;
}

/** A history event as the API sends it (JSON) → the shape the status mapper reads. */
export function historyEventOf(raw: Record<string, unknown>): HistoryEventLike {
  return { ...(raw as unknown as HistoryEventLike), timestamp: dateOf(raw.timestamp) ?? new Date(0) };
}
