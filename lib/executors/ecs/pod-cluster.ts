import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';

export interface PodClusterProps {
  /**
   * The VPC the tasks run in.
   * @default the cluster's VPC when `cluster` is given, else a new VPC: 2 AZs, public subnets only, no NAT gateway
   */
  readonly vpc?: ec2.IVpc;
  /** An existing ECS cluster. @default a new cluster in the VPC */
  readonly cluster?: ecs.ICluster;
  /** The subnets tasks run in. @default the VPC's default selection (private subnets if any, else public) */
  readonly subnets?: ec2.SubnetSelection;
  /**
   * Whether tasks get a public IP. Without NAT, a task in a public subnet needs one to pull its image.
   * @default true when the selected subnets are public, else false
   */
  readonly assignPublicIp?: boolean;
  /** CloudWatch Container Insights on a created cluster (billed per metric). @default false */
  readonly containerInsights?: boolean;
}

/**
 * Where the `ecs` executor's tasks run: a cluster, subnets and a security group with no inbound rule.
 * The created VPC is the cheapest that can pull public images: public subnets and a public IP per
 * task, no NAT gateway (about $32 a month each, plus data) and no interface endpoints.
 */
export class PodCluster extends Construct {
  readonly vpc: ec2.IVpc;
  readonly cluster: ecs.ICluster;
  readonly securityGroup: ec2.SecurityGroup;
  readonly subnetIds: string[];
  readonly assignPublicIp: boolean;
  /** Whether this construct created the VPC (and so also the cluster). */
  readonly createdVpc: boolean;

  constructor(scope: Construct, id: string, props: PodClusterProps = {}) {
    super(scope, id);
    const given = props.vpc ?? props.cluster?.vpc;
    this.createdVpc = given === undefined;
    this.vpc =
      given ??
      new ec2.Vpc(this, 'Vpc', {
        maxAzs: 2,
        natGateways: 0,
        subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }],
        // The default security group is never used; restricting it would add a custom-resource Lambda.
        restrictDefaultSecurityGroup: false,
      });
    this.cluster =
      props.cluster ??
      new ecs.Cluster(this, 'Cluster', {
        vpc: this.vpc,
        containerInsightsV2: props.containerInsights ? ecs.ContainerInsights.ENABLED : ecs.ContainerInsights.DISABLED,
      });
    this.securityGroup = new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: this.vpc,
      description: 'pod2sfn tasks: no inbound, any outbound (image pulls, AWS APIs)',
      allowAllOutbound: true,
    });
    const selected = this.vpc.selectSubnets(props.subnets);
    this.subnetIds = selected.subnetIds;
    this.assignPublicIp = props.assignPublicIp ?? selected.hasPublic;
  }
}
