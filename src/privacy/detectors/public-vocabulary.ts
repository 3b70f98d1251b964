/**
 * Words that are safe to send although SCOWL's lower-case lists lack them: how people write to chat
 * assistants (abbreviations, chat and tech words), and public proper nouns whose loss would blind
 * the planner to the question's intent (languages, weekdays, months, holidays, widely used software
 * and platforms). Lower-case. Names of people, places and organisations are never here; a detector
 * that finds one (NER, the value index) still replaces it, this list only keeps a word that nothing
 * flagged from becoming a `<TERM_n>`.
 */
const CHAT =
  "ok okay pls plz thx thanks ty u ur r ya yeah yep nope hey hi hello lol omg idk imo btw fyi asap eta tbh ngl " +
  "gonna wanna gotta kinda sorta dunno lemme gimme msg msgs dm dms pic pics vid info intro convo bday bf gf " +
  "email emails e-mail inbox spam cc bcc login logins logout signup sign-up signin username usernames online offline " +
  "website websites webpage homepage url urls app apps repo repos config configs env envs api apis backend frontend " +
  "fullstack devops dataset datasets database databases db dbs sql nosql json yaml csv tsv xml pdf pdfs docx xlsx pptx " +
  "png jpg jpeg gif svg mp3 mp4 html css javascript typescript python java kotlin swift rust golang php ruby perl bash " +
  "shell zsh powershell regex regexes cli gui ui ux sdk ide npm pip yarn pnpm git github gitlab bitbucket docker " +
  "kubernetes k8s helm terraform ansible aws azure gcp linux ubuntu debian macos mac ios android iphone ipad windows " +
  "chrome firefox safari edge wifi wi-fi bluetooth usb hdmi vpn dns ssh ssl http https localhost postgres postgresql " +
  "mysql sqlite mongodb redis kafka elasticsearch graphql rest oauth jwt webhook webhooks endpoint endpoints middleware " +
  "frontend node nodejs react vue angular svelte nextjs django flask fastapi rails laravel spring dotnet numpy pandas " +
  "pytorch tensorflow jupyter excel word outlook powerpoint gmail google slack discord zoom teams whatsapp telegram " +
  "signal instagram facebook twitter youtube tiktok linkedin reddit snapchat pinterest netflix spotify uber airbnb " +
  "paypal venmo visa mastercard amex stripe shopify notion jira confluence trello asana figma canva dropbox onedrive " +
  "icloud chatgpt openai tinder hinge bumble amazon ebay etsy ikea " +
  "chatbot chatbots onboarding offboarding rollout rollouts deployment deployments dev prod staging qa hotfix bugfix " +
  "changelog readme todo todos workflow workflows standup standups kickoff 1:1 offsite onsite wfh hybrid remote " +
  "linkedin recommendation cv resume résumé cover bio docs doc ref refs info faq " +
  "mg mcg ml kg km cm mm ft lb lbs oz gb mb kb tb hz ghz mph kph kmh";

const PROPER =
  "english spanish french german italian portuguese dutch polish russian ukrainian chinese mandarin cantonese japanese " +
  "korean arabic hindi urdu bengali turkish vietnamese thai indonesian malay greek hebrew persian farsi swedish " +
  "norwegian danish finnish czech hungarian romanian bulgarian serbian croatian tagalog swahili latin esperanto " +
  "american british european asian african canadian australian " +
  "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun " +
  "january february march april may june july august september october november december " +
  "jan feb mar apr jun jul aug sep sept oct nov dec " +
  "christmas xmas easter thanksgiving halloween ramadan eid diwali hanukkah passover new year's valentine's " +
  "mr mrs ms dr prof sr jr st";

export const PUBLIC_WORDS: ReadonlySet<string> = new Set(`${CHAT} ${PROPER}`.split(/\s+/).filter(Boolean));

/** Capitalized words that do not mark a proper noun: languages, days, months, honorifics, "I". */
export const CAPITALIZED_PUBLIC: ReadonlySet<string> = new Set([
  "i",
  "i'm",
  "i've",
  "i'll",
  "i'd",
  ...PROPER.split(/\s+/),
]);
