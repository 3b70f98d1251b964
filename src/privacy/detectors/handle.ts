import type { Detector, Span } from "../span.js";
import { getLexicon } from "./lexicon.js";

/*
 * Account names: `@name` (not inside an email address), `name#1234` (Discord-style tags), and the
 * word after a username cue ("user lil_bean", "login: mkeller", "mi usuario es …", "用户名…").
 * After a cue the word must look like a login: a digit, `_` or `.` inside, or, after "is"/":"/"=",
 * a word that is not English; so "the user clicks" and "Account Manager Hanne" are not handles.
 */
const AT =
  /(?<![\p{L}\p{N}_.+-])@[\p{L}\p{N}_](?:[\p{L}\p{N}_.]{0,38}[\p{L}\p{N}_])?(?![\p{L}\p{N}_@-]|\.[\p{L}])/gu;
const TAG = /(?<![\p{L}\p{N}_.#])[\p{L}\p{N}_.]{2,32}#\d{4}(?!\d)/gu;
const CUE =
  /(?<![\p{L}\p{N}])(?:user(?:name)?|user name|login|log-in|handle|account|acct|nick(?:name)?|gamertag|usuario|utilisateur|identifiant|benutzer(?:name)?|nutzername|gebruikersnaam|utente|логин|пользователь|用户名|账号|帳號|아이디|사용자)(?:\s+(?:is|was|es|est|ist|:|=))?\s*[:=]?\s*['"`]?([\p{L}\p{N}][\p{L}\p{N}_.-]{1,38}[\p{L}\p{N}])/giu;

function loginLike(word: string): boolean {
  if (/[\d_]/.test(word) || /\p{L}\.\p{L}/u.test(word)) return true;
  const lower = word.toLowerCase();
  return (
    !getLexicon().isWord(lower) && !/^(?:is|was|es|est|ist|on|at|for|and|the|with|from|to|in)$/.test(lower)
  );
}

export const handleDetector: Detector = {
  name: "handle",
  detect(text) {
    const spans: Span[] = [];
    const push = (start: number, value: string, score: number) =>
      spans.push({ type: "HANDLE", start, end: start + value.length, value, score });
    if (text.includes("@")) for (const m of text.matchAll(AT)) push(m.index!, m[0], 0.8);
    if (text.includes("#")) for (const m of text.matchAll(TAG)) push(m.index!, m[0], 0.8);
    for (const m of text.matchAll(CUE)) {
      const word = m[1]!;
      // "Account Manager Hanne …": without ':', '=' or 'is' the word must look like a login.
      const explicit = /(?:\bis|\bwas|\bes|\best|\bist|[:=])\s*['"`]?\S+$/.test(m[0]);
      // "User: Vilma Holm" is a dialogue label; a bare "user" needs a login-looking word after it.
      const bareUser = /^user\b/i.test(m[0]) && !/^user\s*name/i.test(m[0]);
      const looksLogin = /[\d_]|\p{L}\.\p{L}/u.test(word) && /\p{L}/u.test(word);
      if (!(explicit && !bareUser ? loginLike(word) : looksLogin)) continue;
      push(m.index! + m[0].length - word.length, word, 0.6);
    }
    return spans;
  },
};
