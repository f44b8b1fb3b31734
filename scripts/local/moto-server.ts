import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * moto_server (Python moto 5): one loopback port that speaks the real HTTP APIs of S3, SQS, SNS,
 * SES, DynamoDB, EventBridge and more, with the semantics Paperboy's guarantees rest on (S3
 * conditional writes answer 412, SQS visibility timeouts redeliver, redrive moves to a DLQ).
 * `scripts/install-system-deps.sh` installs it where pip can reach its index.
 */

export const MOTO_INSTALL_HINT = 'moto_server was not found. Install it with: pip install "moto[server]" (Python 3.9+), or run scripts/install-system-deps.sh';

export interface MotoServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export function motoCommand(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v moto_server'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitUntilUp(endpoint: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${log()}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within 30 s: ${log()}`);
}

/**
 * moto_server runs werkzeug with a thread per request, and moto checks an S3 `If-Match` /
 * `If-None-Match` and then writes in two steps without a lock: under load two racing writers can
 * both pass (seen: 19 of 20 concurrent versions of a day kept). S3 evaluates the condition
 * atomically. So the same moto app is served one request at a time, which makes each
 * check-and-write atomic as on S3; the clients' concurrency is unchanged.
 */
const SERIAL_MOTO = [
  'import sys',
  'from werkzeug.serving import run_simple',
  'from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app',
  'run_simple(sys.argv[1], int(sys.argv[2]), DomainDispatcherApplication(create_backend_app), threaded=False)',
].join('\n');

/** The Python that has moto installed, if `python3` on PATH is one. */
function motoPython(): string | null {
  const probe = spawnSync('python3', ['-c', 'import moto.moto_server.werkzeug_app, werkzeug.serving'], { encoding: 'utf8' });
  return probe.status === 0 ? 'python3' : null;
}

export async function startMoto(): Promise<MotoServer> {
  const command = motoCommand();
  if (!command) throw new Error(MOTO_INSTALL_HINT);
  const port = await freePort();
  const python = motoPython();
  const env = { ...process.env, MOTO_PORT: String(port) };
  const child = python
    ? spawn(python, ['-c', SERIAL_MOTO, '127.0.0.1', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env })
    : spawn(command, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilUp(endpoint, child, () => output);
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

/** SDK settings for a client of moto: any credentials, one region, no checksum trailers. */
export function motoClientConfig(endpoint: string) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    requestChecksumCalculation: 'WHEN_REQUIRED' as const,
    responseChecksumValidation: 'WHEN_REQUIRED' as const,
  };
}
