/** Fetches, ahead of `cdk synth`, the native binaries the Lambda bundles carry (see infra/pagefind-binary.ts). */
import { pagefindBinaryFor } from '../infra/pagefind-binary.ts';

console.log(`Pagefind for the Publish function (linux-arm64): ${pagefindBinaryFor('arm64')}`);
