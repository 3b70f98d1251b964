import type { Detector, Span } from "../span.js";
import { entropy } from "./secret.js";

/*
 * Passwords and key-like strings that the well-known key formats (`secret.ts`) do not cover:
 * - the value after a password cue in many languages ("my wifi password is maple@4471",
 *   "DB_PASSWORD=…", "mot de passe : …", "我的密码是…", "비밀번호 …");
 * - password-shaped tokens anywhere: letters and digits with a symbol (`maple@4471`, `Winter13!`);
 * - key-shaped tokens: 16+ characters of mixed case and digits, 32+ hex digits, `prefix_` tokens.
 */
const CUE =
  /(?:(?<![\p{L}\p{N}])(?:pass(?:word|wd|code|phrase)?|pwd|pw|pin|passwort|kennwort|wachtwoord|contraseña|contrasena|clave|senha|hasło|haslo|şifre|sifre|mot de passe|mdp|parola|пароль|пин|mật khẩu|(?:api[_ -]?)?(?:key|token|secret)s?)|密码|密碼|口令|パスワード|暗証番号|비밀번호|암호|كلمة (?:المرور|السر)|رمز)(?:[ \t]+(?:is|was|:|=|est|es|ist|era|é|是|は|는|은|هي))?[ \t]*(?:[:=：]|是|は|는|은)?[ \t]*['"`“«]?/giu;
/** The secret itself: up to whitespace, a quote, CJK punctuation or text of a script without spaces. */
const VALUE =
  /^[^\s'"`”»，。、；;,)\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]{4,128}/u;
const STOP =
  /^(?:is|was|for|to|and|or|the|a|an|of|on|in|at|from|reset|manager|policy|field|change|changed|expired|expires|protected|again|please|pls|doesn'?t|won'?t|isn'?t|not|stopped|rules?|strength|strong|secure|length|it|this|that|my|your|yes|no|please|ok|which|when|what|how|here|there)$/i;
const SHAPED =
  /(?<![\p{L}\p{N}_@.#$%&*!+-])(?=[\p{L}\p{N}!@#$%^&*_+.-]*\d)(?=[\p{L}\p{N}!@#$%^&*_+.-]*\p{L})[\p{L}\p{N}][\p{L}\p{N}_.-]*[!@#$%^&*+][\p{L}\p{N}!@#$%^&*_+.-]*(?![\p{L}\p{N}_@#$%&*!+-])/gu;
const KEYISH =
  /(?<![\p{L}\p{N}_+/=-])(?:[A-Za-z]{2,8}[_-])?[A-Za-z0-9]{16,}(?:\.[A-Za-z0-9_-]{6,})?(?![\p{L}\p{N}_+/=-])/gu;
const HEX = /^(?:[A-Za-z]{2,8}[_-])?[0-9a-f]{32,}$/i;
const PREFIXED = /^(?:tok|key|sk|pk|rk|api|secret|token|access|bearer|auth)[_-][A-Za-z0-9._-]{12,}$/i;

function passwordShaped(value: string): boolean {
  if (value.length < 6 || value.length > 64) return false;
  if (/^\d+[.,]?\d*[%$€£]$|^[$€£]\d/.test(value)) return false; // 15%, $40
  if (/^[\w.+-]+@[\w-]+\.[\p{L}]{2,}/u.test(value)) return false; // an email
  if (/\.(?:com|net|org|io|de|fr|uk|py|js|ts|md|json|txt|pdf|csv)\b/i.test(value)) return false;
  return /[!@#$%^&*+]/.test(value) && /\d/.test(value) && /\p{L}/u.test(value);
}

function keyShaped(value: string): boolean {
  if (HEX.test(value) || PREFIXED.test(value)) return true;
  const body = value.replace(/^[A-Za-z]{2,8}[_-]/, "");
  if (body.length < 16) return false;
  const classes = Number(/[a-z]/.test(body)) + Number(/[A-Z]/.test(body)) + Number(/\d/.test(body));
  return classes === 3 && entropy(body) >= 3.3;
}

export const credentialDetector: Detector = {
  name: "credential",
  detect(text) {
    const spans: Span[] = [];
    const push = (start: number, value: string, score: number) =>
      spans.push({ type: "SECRET", start, end: start + value.length, value, score });
    CUE.lastIndex = 0;
    for (let m = CUE.exec(text); m !== null; m = CUE.exec(text)) {
      const at = m.index + m[0].length;
      const v = VALUE.exec(text.slice(at));
      if (!v) continue;
      const value = v[0].replace(/[.?]+$/, "");
      const word = value.toLowerCase();
      if (value.length < 4 || STOP.test(word)) continue;
      // Without a copula or ':' the cue may be a plain noun ("password manager"): demand a digit or symbol.
      const explicit = /(?:is|was|est|es|ist|era|é|[:=：]|是|は|는|은|هي)\s*['"`“«]?$/iu.test(m[0]);
      if (!explicit && !/[\d!@#$%^&*_+]/.test(value)) continue;
      push(at, value, explicit ? 0.9 : 0.7);
    }
    if (/[!@#$%^&*+]/.test(text))
      for (const m of text.matchAll(SHAPED)) if (passwordShaped(m[0])) push(m.index!, m[0], 0.65);
    for (const m of text.matchAll(KEYISH)) if (keyShaped(m[0])) push(m.index!, m[0], 0.7);
    return spans;
  },
};
