import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/**
 * One S3 client per Lambda container. `S3_ENDPOINT` points it at a local emulator; the checksum
 * settings keep the SDK from sending aws-chunked trailers that emulators do not speak.
 */
export function s3ClientFromEnv(env: NodeJS.ProcessEnv = process.env): S3Client {
  const config: S3ClientConfig = {};
  if (env.S3_ENDPOINT) {
    Object.assign(config, {
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: true,
      region: env.AWS_REGION ?? 'us-east-1',
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'S3RVER', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'S3RVER' },
    });
  }
  return new S3Client(config);
}

export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
