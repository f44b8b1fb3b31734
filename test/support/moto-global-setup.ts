import type { TestProject } from 'vitest/node';
import { startMoto, type MotoServer } from '../../scripts/local/moto-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}

/** One moto_server per test project that asks for it, on a free loopback port, stopped when the run ends. */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const moto: MotoServer = await startMoto();
  project.provide('motoEndpoint', moto.endpoint);
  return () => moto.stop();
}
