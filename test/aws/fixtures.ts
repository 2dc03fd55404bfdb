/** A pod on all three executors, with Secret and ConfigMap references and a plaintext Secret beside it. */
export const MIXED_SPEC = `apiVersion: v1
kind: Secret
metadata: {name: db-credentials}
stringData: {password: PLAINTEXT-hunter2-never-deployed}
---
apiVersion: v1
kind: Pod
metadata:
  name: mixed-pod
  namespace: jobs
  annotations:
    pod2sfn.dev/executor.migrate: ecs
    pod2sfn.dev/executor.report: activity
spec:
  restartPolicy: OnFailure
  activeDeadlineSeconds: 600
  initContainers:
    - name: fetch
      image: alpine
      command: [sh, -c, 'echo fetching']
      env:
        - name: DB_PASSWORD
          valueFrom: {secretKeyRef: {name: db-credentials, key: password}}
        - name: MODE
          valueFrom: {configMapKeyRef: {name: settings, key: mode}}
      resources: {limits: {memory: 1Gi}}
    - name: migrate
      image: public.ecr.aws/docker/library/alpine:3.20
      command: [sh, -c]
      args: ['echo migrating && exit 0']
      env:
        - name: DB_PASSWORD
          valueFrom: {secretKeyRef: {name: db-credentials, key: password}}
        - name: PLAIN
          value: visible
      resources: {requests: {cpu: 500m, memory: 1Gi}}
  containers:
    - name: report
      image: alpine
      command: [sh, -c, 'echo report']
`;
