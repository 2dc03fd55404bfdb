/**
 * Valid Kubernetes that pod2sfn accepts but does not honour, with the reason a user is told.
 * A field listed here warns ("doesn't support X - ignoring"); a field listed nowhere is an error.
 */
export type IgnoredFields = Readonly<Record<string, string>>;

const NO_NODE = 'there is no node to schedule on: containers run as serverless tasks';
const NO_NETWORK = 'containers run as tasks with no Service in front of them';
const NO_PROBES = 'a run-to-completion task has no readiness or liveness to probe';

export const IGNORED_POD_FIELDS: IgnoredFields = {
  affinity: NO_NODE,
  automountServiceAccountToken: 'there is no Kubernetes API server to talk to',
  dnsConfig: NO_NETWORK,
  dnsPolicy: NO_NETWORK,
  enableServiceLinks: NO_NETWORK,
  ephemeralContainers: 'ephemeral containers are for debugging a live pod',
  hostAliases: NO_NETWORK,
  hostIPC: NO_NODE,
  hostNetwork: NO_NODE,
  hostPID: NO_NODE,
  hostUsers: NO_NODE,
  hostname: NO_NETWORK,
  hostnameOverride: NO_NETWORK,
  imagePullSecrets: 'registry credentials come from the task role',
  nodeName: NO_NODE,
  nodeSelector: NO_NODE,
  os: NO_NODE,
  overhead: NO_NODE,
  preemptionPolicy: NO_NODE,
  priority: NO_NODE,
  priorityClassName: NO_NODE,
  readinessGates: NO_PROBES,
  resourceClaims: NO_NODE,
  resources: 'pod-level resources are not split between tasks; set them per container',
  runtimeClassName: NO_NODE,
  schedulerName: NO_NODE,
  schedulingGates: NO_NODE,
  securityContext: 'Lambda and Fargate choose the user and the kernel settings',
  serviceAccount: 'permissions come from the IAM task role',
  serviceAccountName: 'permissions come from the IAM task role',
  setHostnameAsFQDN: NO_NETWORK,
  shareProcessNamespace: 'each container runs as its own task',
  subdomain: NO_NETWORK,
  tolerations: NO_NODE,
  topologySpreadConstraints: NO_NODE,
};

export const IGNORED_CONTAINER_FIELDS: IgnoredFields = {
  imagePullPolicy: 'Lambda and Fargate pull the image themselves',
  lifecycle: 'postStart and preStop hooks have no task equivalent',
  livenessProbe: NO_PROBES,
  ports: NO_NETWORK,
  readinessProbe: NO_PROBES,
  resizePolicy: 'task sizes are fixed when the task starts',
  restartPolicyRules: 'per-exit-code restart rules are not mapped to Retry policies',
  securityContext: 'Lambda and Fargate choose the user, capabilities and kernel settings',
  startupProbe: NO_PROBES,
  stdin: 'tasks have no terminal attached',
  stdinOnce: 'tasks have no terminal attached',
  tty: 'tasks have no terminal attached',
  volumeDevices: NO_NODE,
};

export const IGNORED_JOB_FIELDS: IgnoredFields = {
  completionMode: 'one pod is run per execution',
  completions: 'one pod is run per execution; start more executions for more completions',
  manualSelector: 'there are no pods to select',
  maxFailedIndexes: 'one pod is run per execution',
  backoffLimitPerIndex: 'one pod is run per execution',
  managedBy: 'the state machine manages the run',
  parallelism: 'one pod is run per execution; start more executions for more parallelism',
  podReplacementPolicy: 'a failed pod is replaced by a retry of the same execution',
  selector: 'there are no pods to select',
  successPolicy: 'one pod is run per execution',
  suspend: 'start an execution when you want the job to run',
  ttlSecondsAfterFinished: 'Step Functions keeps execution history for 90 days',
};

const ONE_RUN = 'an execution runs the pod template once';

export const IGNORED_WORKLOAD_FIELDS: IgnoredFields = {
  minReadySeconds: ONE_RUN,
  ordinals: ONE_RUN,
  paused: ONE_RUN,
  persistentVolumeClaimRetentionPolicy: ONE_RUN,
  podManagementPolicy: ONE_RUN,
  progressDeadlineSeconds: ONE_RUN,
  replicas: ONE_RUN,
  revisionHistoryLimit: ONE_RUN,
  selector: ONE_RUN,
  serviceName: ONE_RUN,
  strategy: ONE_RUN,
  updateStrategy: ONE_RUN,
  volumeClaimTemplates: 'claims become scratch volumes that live as long as the run',
};

export const IGNORED_CRONJOB_FIELDS: IgnoredFields = {
  concurrencyPolicy: 'each execution is started by you, not by a schedule',
  failedJobsHistoryLimit: 'Step Functions keeps execution history for 90 days',
  schedule: 'each execution is started by you, not by a schedule (use an EventBridge rule)',
  startingDeadlineSeconds: 'each execution is started by you, not by a schedule',
  successfulJobsHistoryLimit: 'Step Functions keeps execution history for 90 days',
  suspend: 'each execution is started by you, not by a schedule',
  timeZone: 'each execution is started by you, not by a schedule',
};

export const IGNORED_VOLUME_SOURCES: IgnoredFields = {
  awsElasticBlockStore: 'block devices cannot be attached to serverless tasks',
  azureDisk: 'block devices cannot be attached to serverless tasks',
  azureFile: 'network file systems other than EFS are not mounted',
  cephfs: 'network file systems other than EFS are not mounted',
  cinder: 'block devices cannot be attached to serverless tasks',
  csi: 'CSI drivers need a node',
  downwardAPI: 'the downward API is not projected into files',
  ephemeral: 'generic ephemeral volumes need a node',
  fc: 'block devices cannot be attached to serverless tasks',
  flexVolume: 'volume plugins need a node',
  flocker: 'volume plugins need a node',
  gcePersistentDisk: 'block devices cannot be attached to serverless tasks',
  gitRepo: 'gitRepo is deprecated in Kubernetes; clone in an init container',
  glusterfs: 'network file systems other than EFS are not mounted',
  image: 'image volumes need a node',
  iscsi: 'block devices cannot be attached to serverless tasks',
  nfs: 'network file systems other than EFS are not mounted',
  photonPersistentDisk: 'block devices cannot be attached to serverless tasks',
  portworxVolume: 'volume plugins need a node',
  projected: 'projected service account tokens and files are not written',
  quobyte: 'network file systems other than EFS are not mounted',
  rbd: 'block devices cannot be attached to serverless tasks',
  scaleIO: 'volume plugins need a node',
  storageos: 'volume plugins need a node',
  vsphereVolume: 'block devices cannot be attached to serverless tasks',
};
