/**
 * What each cloud's simulation provides, so the simulator server, `peerlink sim`, the demo, the benchmarks and the
 * test harness can list clouds from the registry instead of naming them. Used only by tests, the demo and `sim`.
 */
import type { Command } from 'commander';
import type { PeeringStatus } from '../../core/status.js';
import type { VpcSide } from '../../core/observation.js';
import type { Localized, PlatformTarget } from '../provider.js';
import type { SimClock } from './clock.js';
import type { FaultPlan } from './faults.js';
import type { CloudSim } from './server.js';

/** A platform account as the operator registers it (`POST /v1/admin/platform-accounts`). */
export interface AccountInput {
  region: string;
  accountId: string;
  endpoint: string;
  credentials: Record<string, string>;
}

/** A deployment as the operator registers it, without the org and the account (filled in by whoever registers it). */
export interface DeploymentInput {
  id?: string;
  name: string;
  plan: string;
  region: string;
  vpcId: string;
  vpcCidr: string;
  routeTableIds: string[];
}

/** A deployment as a demo action sees it. */
export interface DemoDeployment {
  region: string;
  vpcId: string;
  vpcCidr: string;
  platformAccountId: string;
}

export interface DemoPeering {
  providerPeeringId: string;
  customerVpcId: string;
}

/** What a customer-side action did, and the form values it produced (the console fills the form with them). */
export interface DemoResult {
  values: Record<string, string | string[]>;
  note: string;
}

/** One thing the customer does in its own cloud, played in the simulator by the console's demo panel. */
export interface DemoAction {
  key: string;
  label: Localized;
  /** before the customer submits (create the request) or after (approve, route) */
  stage: 'before-submit' | 'after-submit';
  /** after the submit: the peering statuses in which the action makes sense */
  statuses?: readonly PeeringStatus[];
  run(d: DemoDeployment, p: DemoPeering | null): Promise<DemoResult>;
}

/** The demo's world on one cloud: what the seed created in the simulator and what Peerlink must register. */
export interface DemoSeed {
  account: AccountInput;
  /** the first is the cloud's main demo deployment */
  deployments: DeploymentInput[];
  actions: DemoAction[];
  /** shell variables for the README walk-through (data/demo.env), given the ids Peerlink assigned */
  env(ids: { deploymentIds: string[] }): Record<string, string>;
  /** lines for the demo's start-up summary */
  summary: string[];
}

/** The sweep benchmark's view of one cloud: a deployment, a running connection, a customer-side deletion. */
export interface SweepDriver<W> {
  region: string;
  account(world: W, endpoint: string): AccountInput;
  deployment(world: W, n: number): { vpcId: string; cidr: string; routeTableIds: string[] };
  /** the n-th customer network, connected to the deployment network and active */
  connection(
    world: W,
    n: number,
    deploymentVpcId: string,
  ): { id: string; customerAccountId: string; customerVpcId: string; cidrs: string[]; deploymentVpcId?: string };
  deleteByCustomer(world: W, id: string, deploymentVpcId: string): void;
}

/** How a fixture registers what it needs through the operator API of the Peerlink under test. */
export interface FixtureContext<W> {
  world: W;
  endpoint: string;
  orgId: string;
  /** an operator call; throws unless it answers 2xx */
  admin<T>(path: string, body: unknown): Promise<T>;
}

/**
 * What the shared provider contract (test/clouds/contract.ts) needs of a cloud, set up in its simulator: a platform
 * account, a deployment network, a customer with a network, and the customer's moves on the cloud's official SDK.
 */
export interface ContractSetup {
  target: PlatformTarget;
  deploymentVpcId: string;
  routeTableIds: string[];
  /** the customer's side as the cloud reports it */
  customer: VpcSide;
  /**
   * Where the customer opens: the customer asks for a connection to the deployment network (its id). Where the
   * platform opens: the customer's network the platform is to join (its id).
   */
  request(): Promise<string>;
  /** let the cloud's asynchronous work finish */
  settle(): void;
  /** an id of the right shape that does not exist */
  unknownId: string;
  /** the CIDRs to route (default: what the cloud reports of the customer; clouds that report none are typed) */
  routeCidrs?: string[];
  /** false where the cloud's API does not say when an unanswered request expires */
  reportsExpiry?: boolean;
  /** false where the account's listing may not show the connection (the sweep then steps its peering on its own) */
  listsConnections?: boolean;
  /**
   * Where the platform opens and the customer completes it: the customer approves the platform's request (or adds its
   * half) in its network. Absent where the platform completes the connection itself, as the customer delegated it.
   */
  approve?: () => Promise<void>;
  /** where the deployment network can belong to one customer network: it is made to belong to another */
  joinElsewhere?: () => Promise<void>;
  /** where the platform routes: the customer routes its side to the connection too (as the guidance tells it) */
  customerRoutes?: (connectionId: string) => Promise<void>;
}

/**
 * A simulator switch for a behaviour no public source settles (who may read what, whether a call answers at once, what
 * a repeated call returns …). The simulator's default is the conservative answer — the one Peerlink can rely on least;
 * `permit` sets the other. The provider contract runs in both modes, so the adapter works whichever way the real cloud
 * turns out. Each switch is listed, with its question, in docs/CLOUDS.md.
 */
export interface Assumption<W> {
  /** the switch's name in the world's options */
  name: string;
  /** the question no public source answers, and what the conservative default assumes */
  question: string;
  /** sets the permissive answer */
  permit(world: W): void;
}

/** strict: every assumption at its conservative default; permissive: every assumption permitted. */
export type SimMode = 'strict' | 'permissive';
export const simModes: readonly SimMode[] = ['strict', 'permissive'];

/** Puts a world in a mode (a fresh world is strict). */
export function applyMode<W>(simulation: CloudSimulation<W, unknown>, world: W, mode: SimMode): void {
  if (mode === 'permissive') for (const a of simulation.assumptions) a.permit(world);
}

export interface CloudSimulation<W = unknown, F = unknown> {
  name: string;
  /** the simulator's switches for what no public source settles (conservative by default) */
  assumptions: readonly Assumption<W>[];
  /**
   * The cloud's own words (its products, CLI, id prefixes), besides its name and labels: the house test checks that
   * none appears in src/ outside the cloud's folder.
   */
  vocabulary: readonly string[];
  createWorld(clock: SimClock): W;
  /** the wire protocol over the world, served by the shared loopback server */
  wire(world: W, faults: FaultPlan): CloudSim;
  /** the endpoint the cloud's SDK is given, from the server's base URL */
  endpoint(baseUrl: string): string;
  /** `peerlink sim <name> …`: the customer's side through the official SDK */
  command(): Command;
  /** the demo's accounts, networks and deployment on this cloud, and the customer actions the panel offers */
  demo(world: W, endpoint: string): DemoSeed;
  bench: SweepDriver<W>;
  /** the end-to-end tests' accounts, networks and deployment on this cloud, and the customer's side */
  fixture(ctx: FixtureContext<W>): Promise<F>;
  /** the provider contract's platform account, networks and customer moves */
  contract(ctx: { world: W; endpoint: string; clock: SimClock }): ContractSetup;
}

/** Declares a cloud's simulation; keeps its world and fixture types for the tests that import it directly. */
export function defineSimulation<W, F>(s: CloudSimulation<W, F>): CloudSimulation<W, F> {
  return s;
}
