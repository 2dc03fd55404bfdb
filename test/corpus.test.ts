import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import validator from 'asl-validator';
import { expect, it } from 'vitest';
import { compile } from '../lib/compile.js';
import { allStates } from './helpers/asl.js';
import { describeWith } from './helpers/prerequisite.js';

/**
 * Every real manifest in ../shared/corpus either compiles to a valid definition or is refused with
 * path-qualified diagnostics. The refusals are pinned here with the reason.
 */
const CORPUS = join(import.meta.dirname, '../../shared/corpus');

const REFUSED: Record<string, { path: RegExp; why: string }> = {
  'airflow-git-sync-pod-template.yaml': {
    path: /^spec\.containers\[0\]\.env\[1\]\.valueFrom\.secretKeyRef\.name$/,
    why:
      'secret and ConfigMap names such as RELEASE-NAME-fernet-key ' +
      'are not RFC 1123 subdomains; an API server refuses them too',
  },
  'flannel-kube-flannel-multidoc.yaml': {
    path: /^spec\.template\.spec\.volumes\[0\]\.hostPath$/,
    why: 'installs CNI files onto the node through hostPath',
  },
  'gke-nvidia-driver-installer-daemonset.yaml': {
    path: /^spec\.template\.spec\.volumes\[0\]\.hostPath$/,
    why: 'installs GPU drivers onto the node through hostPath',
  },
  'istio-proxy-coredump-daemonset.yaml': {
    path: /^spec\.template\.spec\.volumes\[0\]\.hostPath$/,
    why: 'sets node sysctls through a hostPath /sys',
  },
  'pulsar-bookie-daemonset-multidoc.yaml': {
    path: /^spec\.template\.spec\.volumes\[0\]\.hostPath$/,
    why: 'keeps bookie data on hostPath directories',
  },
};

const files = existsSync(CORPUS)
  ? readdirSync(CORPUS)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
  : [];

const corpus = { name: `the corpus at ${CORPUS}`, present: files.length > 0 };

describeWith(corpus, 'the corpus (../shared/corpus)', () => {
  it('is there, with every refused manifest', () => {
    // GIVEN the corpus folder / THEN it holds the real manifests, the refused ones among them
    expect(files.length).toBeGreaterThanOrEqual(22);
    for (const name of Object.keys(REFUSED)) expect(files).toContain(name);
  });

  it.each(files)('%s', (file) => {
    // GIVEN a real manifest / WHEN compiled
    const result = compile(readFileSync(join(CORPUS, file), 'utf8'));
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    const refusal = REFUSED[file];
    // THEN a pinned refusal is refused at its path, with path-qualified errors only
    if (refusal) {
      expect(result.compiled).toBeUndefined();
      expect(errors[0]?.path).toMatch(refusal.path);
      for (const e of errors) expect(e.path).not.toBe('');
      return;
    }
    // THEN anything else compiles to a valid definition
    expect(errors).toEqual([]);
    const verdict = validator(result.compiled!.definition, { checkArn: true, checkPaths: true });
    expect(verdict.isValid).toBe(true);
    // Every init container becomes a state, in spec order.
    const initNames = result.compiled!.workflow.init.map((s) => s.container.name);
    const stateNames = JSON.stringify(allStates(result.compiled!.definition).map(([n]) => n));
    let last = -1;
    for (const name of initNames) {
      const at = stateNames.indexOf(`: ${name}"`);
      expect(at, `${name} is a state`).toBeGreaterThan(-1);
      expect(at).toBeGreaterThan(last);
      last = at;
    }
  });
});
