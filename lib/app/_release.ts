import { createHash } from 'crypto';
import { ApiObject } from 'cdk8s';
import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { propError } from '../core/errors';
import { shape } from '../core/_shape';
import { withPodPolicy } from '../k8s/_policy';
import { SYNC_WAVE_ANNOTATION } from '../k8s/_appliers';
import { renderJob } from '../resources/_job';
import { ReleaseJobOptions, ReleaseOptions } from './release';

/** The label that names the release a Job belongs to. */
export const RELEASE_LABEL = 'cdk8s-webstack/release';

/** The Job name's limit: the Job controller labels its pods with it (`batch.kubernetes.io/job-name`), a label value. */
const JOB_NAME_LIMIT = 63;
/** Characters of the release hash in a Job's name. */
const RELEASE_LENGTH = 10;

/** The Argo CD sync waves of the release jobs: the migration before the workloads (0), the others after the routes (1). */
const MIGRATION_WAVE = -1;
const FIRST_AFTER_WAVE = 2;

/** What a release job takes from the companions of the app (the same pod, names and policy as its workers and jobs). */
export interface ReleaseContext {
  readonly namespace: string;
  /** The app's pod template, rendered: a change to it is a new release. */
  appTemplate(): unknown;
  identity(prop: string, name: string, component: string): { full: string; selector: Record<string, string>; labels: Record<string, string>; id: string };
  /** The pod template of a job at `prop`, with the app's image, env, config and security. */
  template(prop: string, job: ReleaseJobOptions, meta: { name: string; labels: Record<string, string>; selector: Record<string, string> }): { template: k8s.PodTemplateSpec; pod: { readonly runAsUser: number; readonly runAsGroup: number; readonly policyReason?: string } };
  denyAll(owner: Construct, meta: { name: string; labels: Record<string, string> }, selector: Record<string, string>): unknown;
  /** The annotations a job's object carries for the policy checkers, with their reason. */
  readonly noTraffic: Record<string, string>;
}

/** The release's Jobs: its migration, and the jobs after it in their order. */
export interface ReleaseObjects {
  readonly migration?: ApiObject;
  readonly afterRelease: ApiObject[];
}

/**
 * Renders the Jobs of one release, each named after the release: a hash of the app's pod
 * template and the job's own, so that a new image, config or command is a new Job (a Job's pod
 * template cannot change), and the same release applied again is the same Job, not run again.
 * The ApplySet prunes the Jobs of the release before.
 */
export function renderReleaseJobs(scope: Construct, release: ReleaseOptions | undefined, ctx: ReleaseContext): ReleaseObjects {
  // Rendered once, for the first job: an app without release jobs never renders it here.
  let appTemplate: unknown;
  const render = (prop: string, job: ReleaseJobOptions, component: string, wave: number): ApiObject => {
    const { full, selector, labels, id } = ctx.identity(prop, job.name, component);
    if (full.length + 1 + RELEASE_LENGTH > JOB_NAME_LIMIT) {
      throw propError(scope, `${prop}.name`, job.name, `makes the Job "${full}-<release>" ${full.length + 1 + RELEASE_LENGTH} characters long, over the ${JOB_NAME_LIMIT} of a label value (its pods are labelled with its name)`,
        `shorten the job's name (or the app's) to fit ${JOB_NAME_LIMIT - 1 - RELEASE_LENGTH} characters with the app's name and '-'`);
    }
    const owner = new Construct(scope, `Release${id}`);
    const pod = ctx.template(prop, job, { name: full, labels, selector });
    const hash = createHash('sha256').update(JSON.stringify([appTemplate ??= ctx.appTemplate(), pod.template])).digest('hex').slice(0, RELEASE_LENGTH);
    const releaseLabels = { ...labels, [RELEASE_LABEL]: hash };
    const template = { ...pod.template, metadata: { ...pod.template.metadata, labels: { ...pod.template.metadata?.labels, [RELEASE_LABEL]: hash } } };
    ctx.denyAll(owner, { name: full, labels }, selector);
    return renderJob(owner, 'Job', {
      name: `${full}-${hash}`,
      namespace: ctx.namespace,
      labels: releaseLabels,
      annotations: {
        ...withPodPolicy({ ...ctx.noTraffic }, pod.pod),
        [SYNC_WAVE_ANNOTATION]: String(wave),
      },
      backoffLimit: shape.whole(job.backoffLimit ?? 1),
      activeDeadlineSeconds: job.activeDeadlineSeconds ?? 900,
      template,
    });
  };
  return {
    migration: release?.migration && render('release.migration', release.migration, 'migration', MIGRATION_WAVE),
    afterRelease: (release?.afterRelease ?? []).map((job, i) => render(`release.afterRelease[${i}]`, job, 'after-release', FIRST_AFTER_WAVE + i)),
  };
}
