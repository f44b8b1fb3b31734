import type { Context, SESEvent } from 'aws-lambda';
import { dynamoClient } from '../commons/aws-clients.ts';
import { requireEnv } from '../commons/lambda-env.ts';
import { tokenSecret } from '../commons/secret.ts';
import { tokenFromUnsubscribeSubject } from '../domain/subscribers/links.ts';
import { unsubscribe } from '../domain/subscribers/subscriber.ts';
import { verifyToken } from '../domain/subscribers/tokens.ts';
import { recordFingerprint } from '../domain/subscribers/read-record.ts';
import { DynamoSubscriberStore } from '../storage/subscriber-store.ts';
import { DynamoLibraryStore } from '../storage/library-store.ts';
import { readerKeyFor } from '../domain/subscribers/tokens.ts';
import { logger } from '../commons/observability.ts';

const store = new DynamoSubscriberStore(dynamoClient(), requireEnv('SUBSCRIBERS_TABLE'));
const library = new DynamoLibraryStore(dynamoClient(), requireEnv('LIBRARY_TABLE'));

/**
 * Mail to unsubscribe@<domain> (the mailto form of List-Unsubscribe), received by SES. The signed
 * token in the subject says who; the From address is not trusted for it, since it is easy to forge.
 */
export async function handler(event: SESEvent, context?: Context): Promise<{ unsubscribed: number; ignored: number }> {
  if (context) logger.addContext(context);
  const secret = await tokenSecret();
  let unsubscribed = 0;
  let ignored = 0;
  for (const record of event.Records) {
    const subject = record.ses.mail.commonHeaders.subject ?? '';
    const token = verifyToken(secret, tokenFromUnsubscribeSubject(subject), 'unsubscribe', Math.floor(Date.now() / 1000));
    if (!token) {
      ignored++;
      logger.info('unsubscribe mail without a valid token ignored', { messageId: record.ses.mail.messageId });
      continue;
    }
    const result = await store.apply(token.e, (prev) => unsubscribe(prev, null, new Date()));
    // As the web link: leaving takes the library, the model and the save links' key with it.
    if (result.next) await library.remove(token.e, readerKeyFor(secret, token.e));
    if (result.next) unsubscribed++;
    logger.info(result.next ? 'unsubscribed by mail' : 'already unsubscribed', { record: recordFingerprint(token.e) });
  }
  return { unsubscribed, ignored };
}
