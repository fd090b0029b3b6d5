// The app `npx cdk8s synth` runs (cdk8s.yaml): the reference setup of apps/reference.ts.
import { referenceApp } from './reference';

referenceApp().synth();
