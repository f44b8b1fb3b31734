import { solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';

/**
 * What the subscribe page's widget does in a browser, done in Node: fetch a challenge from the API,
 * solve it, and encode the solution as the widget's hidden `altcha` field. For `npm start`'s demo
 * reader and for tests that subscribe through the real form.
 */
export async function solvedAltcha(apiUrl: string, init: RequestInit = {}): Promise<string> {
  const res = await fetch(`${apiUrl}/altcha`, init);
  if (!res.ok) throw new Error(`GET ${apiUrl}/altcha answered ${res.status}`);
  const challenge = (await res.json()) as Challenge;
  const solution = await solveChallenge({ challenge, deriveKey });
  if (!solution) throw new Error('the ALTCHA challenge was not solved in time');
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

/** Posts the subscribe form with a solved challenge, as a reader with JavaScript does. */
export async function subscribeWithProof(apiUrl: string, fields: Record<string, string | readonly string[]>): Promise<Response> {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const item of typeof v === 'string' ? [v] : v) form.append(k, item);
  form.set('altcha', await solvedAltcha(apiUrl));
  return fetch(`${apiUrl}/subscribe`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form });
}
