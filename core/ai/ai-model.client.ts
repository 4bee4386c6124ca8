import type { FallbackReason } from './ai.constants.js';
import { featuresJson, type LeadFeatures } from './ai-features.rules.js';
import { analysisResponseFormat, SYSTEM_PROMPT, type ModelAnalysis } from './ai.schema.js';

export interface ModelSettings {
  apiKey: string | undefined;
  baseUrl: string | undefined;
  model: string;
  /** Bounds the whole call, ms (connect, answer and body). */
  timeoutMs: number;
}

export type ModelAnswer =
  | { ok: true; analysis: ModelAnalysis; inputTokens: number; outputTokens: number }
  | { ok: false; reason: FallbackReason; status?: number | undefined; retryAfterMs?: number | undefined };

export interface ModelClient {
  readonly model: string;
  readonly configured: boolean;
  /** One Chat Completions call (§7). Never throws: a failure is an answer with the fallback reason. */
  analyze(features: LeadFeatures): Promise<ModelAnswer>;
}

/**
 * The OpenAI-compatible chat model through the official SDK. maxRetries 0:
 * §7 makes one call per analysis, and the SDK's retries (with their
 * backoff, and Retry-After up to a minute) would let a call run for several
 * times AI_TIMEOUT_MS. The fallback answers at once instead, and the
 * worker's next lead tries again. The SDK's own timeout covers the wait for
 * the answer's headers; an AbortSignal with the same deadline covers
 * reading the body too, so AI_TIMEOUT_MS bounds the whole call.
 */
export function createModelClient(s: ModelSettings): ModelClient {
  const { apiKey } = s;
  // The SDK is loaded only with a key, and while the app starts: without one it would cost memory and start-up for nothing.
  const sdk = apiKey ? loadSdk(apiKey, s) : null;
  // Handled here too, so a failed load before the first analysis is no unhandled rejection.
  sdk?.catch(() => undefined);
  return {
    model: s.model,
    configured: sdk !== null,
    async analyze(features) {
      if (!sdk) return { ok: false, reason: 'no_api_key' };
      // The SDK failed to load (a broken install): the fallback answers, as for any failed call — analyze never throws.
      const loaded = await sdk.catch(() => null);
      if (!loaded) return { ok: false, reason: 'api_error' };
      const { client, errors, responseFormat } = loaded;
      try {
        const completion = await client.chat.completions.parse({
          model: s.model,
          temperature: 0,
          messages: [
            { role: 'system', content: SYSTEM_PROMPT },
            { role: 'user', content: featuresJson(features) },
          ],
          response_format: responseFormat,
        }, { signal: AbortSignal.timeout(s.timeoutMs) });
        const message = completion.choices[0]?.message;
        if (message?.refusal) return { ok: false, reason: 'refusal' };
        if (!message?.parsed) return { ok: false, reason: 'invalid_output' };
        return {
          ok: true, analysis: message.parsed,
          inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0,
        };
      } catch (err) {
        return classify(errors, err);
      }
    },
  };
}

async function loadSdk(apiKey: string, s: ModelSettings) {
  const [{ default: OpenAI }, { ContentFilterFinishReasonError }, responseFormat] = await Promise.all([
    import('openai'), import('openai/error'), analysisResponseFormat(),
  ]);
  return {
    client: new OpenAI({ apiKey, baseURL: s.baseUrl ?? null, timeout: s.timeoutMs, maxRetries: 0 }),
    errors: { OpenAI, ContentFilterFinishReasonError },
    responseFormat,
  };
}

type SdkErrors = Awaited<ReturnType<typeof loadSdk>>['errors'];

/** Which fallback reason a failed call is (§7): the SDK's error classes, then what parse() throws. */
function classify({ OpenAI, ContentFilterFinishReasonError }: SdkErrors, err: unknown): ModelAnswer & { ok: false } {
  if (err instanceof OpenAI.APIConnectionTimeoutError || err instanceof OpenAI.APIUserAbortError) return { ok: false, reason: 'timeout' };
  if (isAbort(err)) return { ok: false, reason: 'timeout' };
  if (err instanceof OpenAI.APIConnectionError) return { ok: false, reason: 'network' };
  if (err instanceof OpenAI.RateLimitError) return { ok: false, reason: 'rate_limited', status: 429, retryAfterMs: retryAfterMs(err.headers) };
  if (err instanceof OpenAI.APIError) {
    const status = err.status;
    return { ok: false, reason: status !== undefined && status >= 500 ? 'server_error' : 'api_error', status };
  }
  if (err instanceof ContentFilterFinishReasonError) return { ok: false, reason: 'refusal' };
  // ZodError, SyntaxError (not JSON), LengthFinishReasonError (cut short): the answer is not one we accept.
  return { ok: false, reason: 'invalid_output' };
}

const isAbort = (err: unknown) => err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');

/** Retry-After (seconds or an HTTP date) in ms; undefined when absent or unreadable. */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const value = headers?.get('retry-after-ms') ?? null;
  if (value && /^\d+(\.\d+)?$/.test(value)) return Number(value);
  const seconds = headers?.get('retry-after') ?? null;
  if (!seconds) return undefined;
  if (/^\d+(\.\d+)?$/.test(seconds)) return Number(seconds) * 1000;
  const at = Date.parse(seconds);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
