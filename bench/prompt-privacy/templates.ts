/**
 * Prompt templates for the prompt-privacy eval, written in the style of what people ask chat
 * assistants: drafting emails and cover letters, translating, coding help with their project's
 * names, travel, health, money, admin. Slots in braces are private units filled from `pools.ts`
 * (`{first}`, `{name}`, `{last}`: a person; `{org}`; `{city}`; `{addr}`; `{term}`: a product,
 * project, app, brand or repo; `{user}` and `{handle}`; `{acro}`: an organisation's acronym;
 * `{id}`, `{order}`, `{iban}`, `{card}`: identifiers; `{pw}`, `{key}`: secrets; `{url}`,
 * `{domain}`, `{email}`, `{phone}`, `{dob}`). `{first:2}` is a second, different value of the
 * same kind; the same slot written twice is the same value mentioned twice.
 * Templates at even positions are the development half, odd positions the held-out half.
 */
export interface Template {
  lang: string;
  text: string;
}

const t = (lang: string, text: string): Template => ({ lang, text });

export const TEMPLATES: Template[] = [
  t(
    "en",
    "Can you help me write a polite email to {name} at {org} asking for an extension on the {term} deliverable? I need two more weeks.",
  ),
  t(
    "en",
    "hi! draft a cover letter for a junior data analyst role at {org}. i studied at {org:2} and did an internship at {acro} in {city}",
  ),
  t(
    "en",
    "My order {order} from {domain} still hasn't arrived, it's been 3 weeks. write a complaint msg for their support pls",
  ),
  t("en", "Write a short thank-you note to Dr. {last} for taking care of my dad at {org} last month."),
  t(
    "en",
    "I keep getting `TypeError: cannot read properties of undefined` in {term} when I call the {term:2} client. The repo is {url}. What could cause this?",
  ),
  t("en", "what's a good 4 day itinerary for {city}? staying near {addr}, flying in on friday"),
  t(
    "en",
    'Please translate into Spanish: "Dear {first}, your appointment on Tuesday at 3pm is confirmed. Call {phone} if you need to reschedule."',
  ),
  t(
    "en",
    "my wifi password is {pw} and the router admin page is at {url} - how do i change the network name?",
  ),
  t(
    "en",
    "Summarize this for me: {name} from the {acro} team said the {term} migration is blocked until {first:2} signs off on the budget.",
  ),
  t(
    "en",
    "Help me reply to {first}: she wants to move our 1:1 to thursday but I have the {acro} review then",
  ),
  t("en", "is 850 mg of metformin twice a day normal? my doctor at {org} ({name}) prescribed it last week"),
  t("en", "I got charged twice on card {card} by {org}. How do I dispute it? Transaction ref {id}."),
  t(
    "en",
    "rewrite this to sound more professional: hey {first} the {term} dashboard is broken again, ticket {id}, can u look asap",
  ),
  t(
    "en",
    "Write a LinkedIn recommendation for {name}, who led the {term} launch at {org} and mentored me for two years.",
  ),
  t("en", "how do i set up ssh keys for my account {user} on {domain}? i'm on a mac"),
  t(
    "en",
    "Compare health insurance plans for a family of 4 in {city}. we're currently with {org} (member id {id})",
  ),
  t(
    "en",
    'Make this slack message less passive aggressive: "as I already told {first} twice, the {acro} numbers for Q3 are in the {term} sheet"',
  ),
  t(
    "en",
    "My landlord {name} won't return my deposit for the flat at {addr}. Draft a formal letter citing tenant law.",
  ),
  t(
    "en",
    "Explain what this error means: ECONNREFUSED 127.0.0.1:5432 when starting {term} locally (postgres user {user}, password {pw})",
  ),
  t(
    "en",
    "Plan a surprise 40th birthday for my wife {first}. Budget 2000 dollars, around 30 guests, somewhere in {city}.",
  ),
  t("en", "write a bio for me: {name}, product designer at {org}, previously at {org:2}, portfolio at {url}"),
  t(
    "en",
    "my api key {key} stopped working after I rotated it in the {term} console, what am I doing wrong?",
  ),
  t(
    "en",
    "can you turn these notes into meeting minutes? attendees: {first}, {first:2}, {first:3}. decided to ship {term} v2 on the 14th, {first} owns the rollout",
  ),
  t(
    "en",
    "Draft a resignation letter to my manager {name}. Last day will be March 31. I've been at {org} for 6 years.",
  ),
  t(
    "en",
    "what does {acro} stand for in my offer letter from {org}? it says I'm eligible for the {acro} bonus",
  ),
  t("en", "Someone keeps DMing me from {handle} pretending to be {org} support. How do I report them?"),
  t(
    "en",
    "I need a SQL query that finds all customers of {term} who signed up after 2021 and have more than 5 orders",
  ),
  t("en", "write a text to {first} saying i'll pick up the kids at 5 and that {first:2} has the spare key"),
  t(
    "en",
    "Book-club email: this month we meet at {first}'s place ({addr}) on the 12th. Ask everyone to RSVP to {email}.",
  ),
  t("en", "fix my python: requests.get('{url}', auth=('{user}', '{pw}')) returns 401 every time"),
  t(
    "en",
    "Help me negotiate: {org} offered 92k for the senior role, my current employer {org:2} pays 85k. How do I ask for more?",
  ),
  t(
    "en",
    'translate to german please: "{first}, thanks for hosting us in {city}! the {term} workshop was great"',
  ),
  t(
    "en",
    "Our team uses {term} for tickets and {term:2} for docs. Write onboarding steps for new hires joining the {acro} group.",
  ),
  t(
    "en",
    "my son {first} (DOB {dob}) needs a vaccination record for {org}. What should I ask the pediatrician for?",
  ),
  t("en", "what's the fastest way from {city} to {city:2} by train with a dog?"),
  t(
    "en",
    "can you check this git command? git remote add origin {url} && git push -u origin main — it says permission denied for {user}",
  ),
  t(
    "en",
    "I'm {name}, I run a small bakery called {org}. Write an Instagram caption for our new sourdough, tag {handle}.",
  ),
  t("en", "Write a reminder to my tenants that rent goes to IBAN {iban} from next month, reference {id}."),
  t("en", "Is it normal for {org} to ask for my passport number {id} to open a savings account?"),
  t(
    "en",
    "give me a study plan for the {acro} certification exam, I have 8 weeks and my login for the portal is {user}",
  ),
  t(
    "en",
    "Write a professional out-of-office: I'm away until June 3, for {term} issues contact {name} ({email}), for billing call {phone}.",
  ),
  t("en", "explain like i'm five why {term} keeps crashing when {first} uploads files bigger than 2gb"),
  t(
    "en",
    'Proofread my cover letter opening: "Dear Hiring Manager, as a nurse at {org} in {city} for 7 years I have..."',
  ),
  t(
    "en",
    "We're migrating from {term} to {term:2}. Our prod db is at {url} and staging at {domain}. What order should we do things in?",
  ),
  t(
    "en",
    "Help me write a message to my neighbour {first} about her dog barking at night, she lives at {addr}",
  ),
  t("en", "how much should I tip in {city}? going there with {first} and {first:2} next week"),
  t(
    "en",
    "Convert this to a table: {name} - sales - {city}; {name:2} - support - {city:2}; {name:3} - legal - remote",
  ),
  t("en", "i forgot my {term} password, the old one was {pw}, what are good rules for a new one?"),
  t(
    "en",
    "Write a discord announcement for my server: {handle} is now a moderator, and the {term} tournament starts saturday",
  ),
  t("en", "Create a regex that validates our internal employee ids like {id} (the {acro} format)"),
  t(
    "en",
    "Draft an apology to {org} customers: the {term} outage on Monday affected orders like {order}. Credits will be applied automatically.",
  ),
  t("en", "my therapist {name} suggested journaling for anxiety. give me 10 prompts to start"),
  t("en", "Review this docker-compose: image: {domain}/{term}:latest, env DB_PASSWORD={pw}, API_TOKEN={key}"),
  t("en", "what should i pack for a week in {city} in october? hotel is the {org}"),
  t(
    "en",
    "Write a polite follow-up to {email}: I applied for the analyst job (ref {id}) three weeks ago and haven't heard back.",
  ),
  t("en", "summarize the pros/cons of leaving {org} to join my friend {first}'s startup {term}"),
  t("en", "pls write a birthday poem for {first}, she loves hiking and her cat {first:2}"),
  t("en", "Tracking number {order} says delivered but nothing came to {addr}. Who do I contact?"),
  t("en", "help me debug: `{term}` CLI fails with 'invalid token {key}' after upgrading to 3.2"),
  t(
    "en",
    "Write a formal complaint to {org} about flight {id} from {city} being cancelled; booking ref {order}.",
  ),
  t("en", "Can you explain my lab results? {org} says my TSH is 6.2. Dr {last} wants to recheck in 6 weeks."),
  t(
    "en",
    "What's a fair price to sell my car? 2017 hatchback, 80k miles, buyer {first} offered 9500. VIN {id}.",
  ),
  t("en", "draft msg to {acro} hr: my manager {name} approved 3 days leave, employee no {id}"),
  t(
    "en",
    "I'm writing a grant for {org}. Our project {term} helps farmers in {city} track soil moisture. Write the summary paragraph.",
  ),
  t("en", 'rate my tinder bio lol: "{first}, 29, {city}. engineer at {org}. ask me about {term}"'),
  t("en", "How do I export all contacts from my {domain} account {email} to a csv?"),
  // French
  t(
    "fr",
    "Peux-tu m'aider à écrire un mail à {name} pour lui dire que la réunion sur le projet {term} est reportée à jeudi ?",
  ),
  t("fr", "Traduis en anglais : « Bonjour {first}, votre commande {order} a été expédiée à {addr}. »"),
  t("fr", "j'ai besoin d'une lettre de motivation pour un poste de comptable chez {org} à {city}"),
  t("fr", "mon mot de passe pour le site {domain} est {pw}, est-ce qu'il est assez sécurisé ?"),
  t(
    "fr",
    "Rédige un message pour {first} : je ne pourrai pas venir au dîner samedi chez {first:2}, désolée !",
  ),
  t("fr", "Comment contester une amende ? Numéro d'avis {id}, reçu à {city} le 3 mai."),
  // German
  t(
    "de",
    "Kannst du mir helfen, eine E-Mail an Herrn {last} von der {org} zu schreiben? Es geht um die Rechnung {id}.",
  ),
  t("de", 'Übersetze bitte ins Englische: "Liebe {first}, danke für die Einladung nach {city}!"'),
  t("de", "wie kündige ich meinen vertrag bei {org}? kundennummer {id}, ich wohne in der {addr}"),
  t(
    "de",
    "Schreib eine kurze Nachricht an das {acro}-Team: das Deployment von {term} verschiebt sich auf Montag.",
  ),
  t("de", "mein Sohn {first} hat seit drei Tagen Fieber, Kinderarzt {name} hat zu. was tun?"),
  t("de", "Fehler in unserem Repo {url}: der Build von {term} bricht mit 'module not found' ab"),
  // Spanish
  t("es", "Ayúdame a escribir un correo a {name} de {org} para pedir un aumento de sueldo."),
  t("es", "traduce al inglés: hola {first}, te espero en {city} el viernes, mi número es {phone}"),
  t("es", "¿Cómo reclamo a {org}? Mi pedido {order} llegó roto y ya escribí a {email} dos veces."),
  t(
    "es",
    "Escribe una carta de presentación para un puesto de enfermera en {org}, tengo 5 años de experiencia en {city}.",
  ),
  t("es", "mi usuario es {user} y la contraseña {pw}, no puedo entrar en {domain}, ¿qué hago?"),
  // Portuguese, Italian, Dutch, Polish, Turkish, Vietnamese
  t("pt", "Pode escrever um e-mail para {name} a pedir o relatório do projeto {term} até sexta?"),
  t("pt", "como faço para cancelar a assinatura da {org}? o número do cliente é {id}"),
  t("it", "Scrivi una mail a {name} per confermare la prenotazione a {city}, codice {order}."),
  t("it", "traduci in inglese: ciao {first}, il progetto {term} è in ritardo di due settimane"),
  t("nl", "Kun je een mail schrijven naar {name} van {org} over mijn factuur {id}?"),
  t("nl", "vertaal naar het Engels: hoi {first}, ik kom morgen naar {city} met de trein"),
  t("pl", "Napisz proszę maila do {name} z {org} w sprawie faktury {id}."),
  t("pl", "przetłumacz na angielski: cześć {first}, spotkajmy się w {city} w sobotę"),
  t("tr", "{name} için bir tebrik mesajı yaz, {org} şirketinde terfi aldı."),
  t("vi", "Viết email cho {name} để xin nghỉ phép ba ngày, mã nhân viên {id}."),
  // Russian, Ukrainian
  t("ru", "Помоги написать письмо {name} о переносе встречи по проекту {term} на понедельник."),
  t("ru", "переведи на английский: привет {first}, я прилетаю в {city} в пятницу, мой номер {phone}"),
  t("ru", "Как вернуть деньги за заказ {order}? Магазин {domain} не отвечает уже неделю."),
  t("ru", "Напиши сопроводительное письмо в {org}, я работала бухгалтером в {city} пять лет."),
  t("uk", "Допоможи написати лист {name} щодо оренди квартири у {city}."),
  t("uk", "переклади англійською: {first}, дякую за допомогу з проєктом {term}!"),
  // Chinese, Japanese, Korean
  t("zh", "帮我写一封邮件给{name}，说明{term}项目的上线时间推迟到下周三。"),
  t("zh", "请把这句话翻译成英文：{first}，你的订单{order}已经发货了。"),
  t("zh", "我在{city}的{org}工作，想写一封辞职信，怎么写比较得体？"),
  t("zh", "我的密码是{pw}，登录{domain}总是失败，怎么办？"),
  t("zh", "帮我给{name}写个生日祝福，她下个月去{city}读研究生。"),
  t("ja", "{name}さんに送るお礼のメールを書いてください。{org}での面接の件です。"),
  t("ja", "英語に翻訳してください：{first}さん、来週{city}で会いましょう。"),
  t("ja", "{term}のビルドが失敗します。リポジトリは{url}です。原因は何でしょう？"),
  t("ko", "{name}님에게 보낼 회의 일정 변경 메일을 써 주세요. {term} 프로젝트 관련입니다."),
  t("ko", "영어로 번역해 줘: {first} 씨, 주문번호 {order} 배송이 지연되고 있습니다."),
  t("ko", "{city}에 있는 {org}에 지원하려고 하는데 자기소개서 좀 도와줘"),
  t("ko", "내 비밀번호 {pw} 괜찮은 거야? {domain} 계정이야"),
  // Arabic, Hindi
  t("ar", "ساعدني في كتابة رسالة إلى {name} بخصوص تأجيل اجتماع مشروع {term}."),
  t("ar", "ترجم إلى الإنجليزية: مرحباً {first}، سأصل إلى {city} يوم الجمعة، رقمي {phone}"),
  t("ar", "أريد كتابة خطاب تقديم لوظيفة في {org} في {city}."),
  t("hi", "{name} को एक ईमेल लिखो कि {term} प्रोजेक्ट की मीटिंग सोमवार को है।"),
  // Mixed and harder English
  t(
    "en",
    "ok so {first:1} from work ({user} on {domain}) sent me this: 'pls send the {acro} deck before {first:2} sees it'. what does she mean??",
  ),
  t(
    "en",
    "Write release notes for {term} 4.1: fixed login loop for {org} tenants, new export to {term:2}, thanks {handle} for the report",
  ),
  t(
    "en",
    "I need a cold outreach email to {name}, head of procurement at {org}, introducing {term} (our inventory tool)",
  ),
  t("en", "why does my {term} app show 'license {id} expired' even though i renewed it yesterday"),
  t(
    "en",
    "help me plan a budget: rent 1450 at {addr}, car loan with {org} 320/month, savings goal 10k by december",
  ),
];
