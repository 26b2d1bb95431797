/*
 * The fixed prompt of the `llm` sentiment scorer and the validator of its replies. The prompt is
 * versioned: its version is journaled with every score and is part of the request hash, so any
 * change to the text below (or to how texts are numbered) must bump LLM_PROMPT_VERSION — a journaled
 * score is reused only for the same text, scorer, model and prompt version.
 */

export const LLM_PROMPT_VERSION = 'llm-sentiment-v1';

/**
 * The system message. It names JSON and shows the shape, which DeepSeek's and OpenAI's JSON mode
 * both require of the prompt when `response_format: {type: 'json_object'}` is set.
 */
export const LLM_SYSTEM_PROMPT = [
  'You rate the financial sentiment of Chinese texts for investors in the China A-share market.',
  'You receive numbered texts; each is a news headline or a stock-forum comment.',
  'For each text, give one number from -1 to 1 for its sentiment from the viewpoint of an A-share investor in the stocks, sector or market it concerns:',
  '-1 strongly negative (bearish), 0 neutral or no bearing on prices, 1 strongly positive (bullish); use values in between for weaker sentiment.',
  'Answer with JSON only, with no prose and no code fence, exactly in this form: {"scores": [s1, s2, ...]}',
  'with exactly one number per text, in the order of the texts.',
  'Example reply for 3 texts: {"scores": [0.6, -0.8, 0]}',
].join('\n');

/** Line breaks and runs of white space inside a text become one space, so each text stays on its own numbered line. */
const oneLine = (t: string): string => t.replace(/\s+/gu, ' ').trim();

/** The user message: the count, then `1. text` lines. */
export function buildUserPrompt(texts: readonly string[]): string {
  const lines = texts.map((t, i) => `${i + 1}. ${oneLine(t)}`);
  return [`Rate these ${texts.length} texts:`, ...lines].join('\n');
}

export interface ChatMessage {
  readonly role: 'system' | 'user';
  readonly content: string;
}

export function buildMessages(texts: readonly string[]): ChatMessage[] {
  return [
    { role: 'system', content: LLM_SYSTEM_PROMPT },
    { role: 'user', content: buildUserPrompt(texts) },
  ];
}

// A whole reply wrapped in one Markdown fence (```json … ``` or ``` … ```): some OpenAI-compatible
// servers ignore `response_format` and fence their JSON. Only a fence around the entire reply is
// removed; JSON embedded in prose stays invalid.
const FENCE = /^```(?:json|JSON)?[ \t]*\r?\n([\s\S]*?)\r?\n?```$/u;

/**
 * Validates a reply's message content against the prompt's contract. Valid is exactly a JSON object
 * whose only member is `scores`, an array of `expected` finite numbers in [-1, 1] (a JSON number,
 * not a string) — after trimming surrounding white space and one Markdown code fence around the
 * whole reply. Anything else (prose, extra members, out-of-range numbers, the wrong count,
 * truncated JSON) is refused with a one-sentence reason that never quotes the reply. `-0` is
 * returned as 0.
 */
export function parseLlmReply(content: string, expected: number): { ok: true; scores: number[] } | { ok: false; reason: string } {
  let body = content.trim();
  const fenced = FENCE.exec(body);
  if (fenced) body = (fenced[1] ?? '').trim();
  if (body === '') return { ok: false, reason: 'the reply is empty' };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return body.startsWith('{') || body.startsWith('[')
      ? { ok: false, reason: 'the reply is truncated or malformed JSON' }
      : { ok: false, reason: 'the reply is prose, not a JSON object' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'the reply is JSON but not an object with a scores array' };
  }
  const keys = Object.keys(value);
  const scores = (value as Record<string, unknown>)['scores'];
  if (!Array.isArray(scores)) return { ok: false, reason: 'the reply has no scores array' };
  if (keys.length !== 1) return { ok: false, reason: `the reply has members other than scores (${keys.length} members)` };
  if (scores.length !== expected) return { ok: false, reason: `the reply has ${scores.length} scores for ${expected} texts` };
  const out: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const s: unknown = scores[i];
    if (typeof s !== 'number' || !Number.isFinite(s)) return { ok: false, reason: `score ${i + 1} is not a number` };
    if (s < -1 || s > 1) return { ok: false, reason: `score ${i + 1} (${s}) is outside [-1, 1]` };
    out.push(s === 0 ? 0 : s);
  }
  return { ok: true, scores: out };
}
