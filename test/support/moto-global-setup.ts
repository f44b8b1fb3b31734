import type { TestProject } from 'vitest/node';
import { startMoto, type MotoServer } from '../../scripts/local/moto-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}

let moto: MotoServer | null = null;

/** One moto_server per test run on a free loopback port, stopped when the run ends. */
export async function setup(project: TestProject): Promise<void> {
  moto = await startMoto();
  project.provide('motoEndpoint', moto.endpoint);
}

export async function teardown(): Promise<void> {
  await moto?.stop();
}
