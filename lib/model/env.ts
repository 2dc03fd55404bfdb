import { MIB, parseQuantity } from '../quantity.js';
import type { Container, LoadedPod } from '../manifest/index.js';
import type { EnvSource } from './workflow.js';

/** Fields known only once a run has started; each runtime fills them in. */
const RUNTIME_FIELDS = new Set([
  'metadata.uid',
  'spec.nodeName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);

interface Size {
  readonly memoryMiB: number;
  readonly cpu: number | undefined;
}

/**
 * A container's env with every value that is known at compile time resolved (fieldRef to the pod's
 * metadata, resourceFieldRef to its size). Secret and ConfigMap references stay references: their
 * values are read at run time, so they never reach a definition or a template.
 */
export function envOf(container: Container, pod: LoadedPod, size: Size): EnvSource[] {
  return (container.env ?? []).map((env): EnvSource => {
    const from = env.valueFrom;
    if (from?.secretKeyRef)
      return { name: env.name, secretKeyRef: { ...from.secretKeyRef, optional: from.secretKeyRef.optional ?? false } };
    if (from?.configMapKeyRef)
      return {
        name: env.name,
        configMapKeyRef: { ...from.configMapKeyRef, optional: from.configMapKeyRef.optional ?? false },
      };
    if (from?.fieldRef) {
      const field = from.fieldRef.fieldPath;
      return RUNTIME_FIELDS.has(field)
        ? { name: env.name, runtimeField: field }
        : { name: env.name, value: podField(field, pod) };
    }
    if (from?.resourceFieldRef) {
      const { resource, divisor } = from.resourceFieldRef;
      const by = divisor === undefined ? 1 : (parseQuantity(divisor) ?? 1);
      const amount = resource.endsWith('cpu')
        ? (size.cpu ?? size.memoryMiB / 1769)
        : resource.endsWith('memory')
          ? size.memoryMiB * MIB
          : 0;
      return { name: env.name, value: String(Math.ceil(amount / by)) };
    }
    return { name: env.name, value: env.value ?? '' };
  });
}

function podField(field: string, pod: LoadedPod): string {
  if (field === 'metadata.name') return pod.name;
  if (field === 'metadata.namespace') return pod.namespace;
  if (field === 'spec.serviceAccountName')
    return String((pod.spec as { serviceAccountName?: unknown }).serviceAccountName ?? 'default');
  const map = /^metadata\.(labels|annotations)\['([^']+)'\]$/.exec(field);
  if (map) return (map[1] === 'labels' ? pod.labels : pod.annotations)[map[2]!] ?? '';
  return '';
}
