import { Duration } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { FunctionUrlOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { ORIGIN_HEADER } from '../../functions/domain/abuse/origin-secret.ts';
import type { PaperboyConfig } from '../config.ts';
import type { DataResources } from './data.ts';
import type { FunctionResources } from './functions.ts';
import { ack } from './ack.ts';
import type { PaperboyStack } from '../paperboy-stack.ts';

/** CloudFront: the site bucket, the API and personal feeds behind one distribution, with one set of security headers; the public URL the functions link to. */
export function edgeResources(stack: PaperboyStack, config: PaperboyConfig, { logs, site, originSecret }: DataResources, { env, publish, sendBatch, planSend, api, apiUrl }: FunctionResources) {
  // Only what the API reads, plus the viewer's real address for its limits (the function itself sees an edge's).
  const apiRequests = new cloudfront.OriginRequestPolicy(stack, 'ApiRequests', {
    comment: 'Paperboy API: the form body type and the viewer address',
    headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList('CloudFront-Viewer-Address', 'Content-Type', 'Accept-Language', 'User-Agent'),
    queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.all(),
    cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
  });
  // The secret as a CloudFormation dynamic reference: resolved at deploy time, never in the template.
  const apiOrigin = new FunctionUrlOrigin(apiUrl, { customHeaders: { [ORIGIN_HEADER]: originSecret.secretValue.unsafeUnwrap(), 'x-paperboy-origin-rotation': String(config.originSecretRotation) } });
  // The API answers personal feeds as private data (Cache-Control: private), which CloudFront never
  // stores with a minimum TTL of 0: an unsubscribe or a reset ends a feed within the reader's own
  // few minutes, and no edge keeps a reader's selection. Zero defaults say the same for anything
  // that comes without a Cache-Control.
  const personalFeeds = new cloudfront.CachePolicy(stack, 'PersonalFeeds', {
    comment: 'Paperboy personal feeds: private data, never kept at the edge',
    minTtl: Duration.seconds(0),
    defaultTtl: Duration.seconds(0),
    maxTtl: Duration.minutes(5),
    headerBehavior: cloudfront.CacheHeaderBehavior.none(),
    queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
    cookieBehavior: cloudfront.CacheCookieBehavior.none(),
    enableAcceptEncodingGzip: true,
    enableAcceptEncodingBrotli: true,
  });
  // One set of security headers for the site and the API: HSTS, no framing anywhere (the API's
  // forms must not be clickjacked), no MIME sniffing, no referrer (a preferences URL must never
  // leave in a Referer). The API's own Content-Security-Policy is kept (it differs per page); the
  // site's pages get frame-ancestors from here.
  const securityHeaders = new cloudfront.ResponseHeadersPolicy(stack, 'SecurityHeaders', {
    comment: 'Paperboy: HSTS, no framing, nosniff, no referrer',
    securityHeadersBehavior: {
      strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      contentTypeOptions: { override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      contentSecurityPolicy: { contentSecurityPolicy: "frame-ancestors 'none'", override: false },
    },
  });
  const certificate = config.certificateArn ? Certificate.fromCertificateArn(stack, 'SiteCertificate', config.certificateArn) : undefined;
  const distribution = new cloudfront.Distribution(stack, 'SiteCdn', {
    comment: 'Paperboy feeds, pages and subscription API',
    defaultRootObject: 'index.html',
    defaultBehavior: {
      origin: S3BucketOrigin.withOriginAccessControl(site),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: securityHeaders,
      compress: true,
    },
    additionalBehaviors: {
      // Personal feeds, before /api/* (CloudFront takes the first pattern that matches): GET and
      // HEAD only, keyed by the URL alone (the token is in the path), never stored (private data).
      '/api/feed/*': {
        origin: apiOrigin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: personalFeeds,
        responseHeadersPolicy: securityHeaders,
        compress: true,
      },
      '/api/*': {
        origin: apiOrigin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: apiRequests,
        responseHeadersPolicy: securityHeaders,
      },
    },
    enableLogging: true,
    logBucket: logs,
    logFilePrefix: 'cdn/',
    ...(certificate && config.siteDomain ? { certificate, domainNames: [config.siteDomain], minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 } : {}),
  });
  ack(distribution, 'CFR1', 'Public feeds for readers anywhere: no geo restriction.');
  ack(distribution, 'CFR2', 'Static public files and a small API with its own per-address limits; WAF is an optional cost the operator can add.');
  if (!certificate) ack(distribution, 'CFR4', 'Without a custom domain CloudFront serves its default certificate, whose TLS floor cannot be set.');

  const publicUrl = config.siteDomain ? `https://${config.siteDomain}` : `https://${distribution.distributionDomainName}`;
  env(publish, { SITE_URL: publicUrl });
  env(sendBatch, { SITE_URL: publicUrl, API_URL: `${publicUrl}/api` });
  env(planSend, { SITE_URL: publicUrl });
  // The API function is an origin of the distribution, so it cannot name the distribution's domain
  // without a cycle: the URL goes into a parameter whose name (not value) the function knows.
  if (config.siteDomain) env(api, { API_URL: `${publicUrl}/api` });
  else {
    const parameterName = `/paperboy/${stack.stackName}/public-url`;
    new StringParameter(stack, 'PublicUrl', { parameterName, stringValue: publicUrl, description: 'Public base URL of the Paperboy site' });
    env(api, { PUBLIC_URL_PARAMETER: parameterName });
    api.addToRolePolicy(new PolicyStatement({ actions: ['ssm:GetParameter'], resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: parameterName.slice(1) })] }));
  }
  return { distribution, publicUrl };
}
