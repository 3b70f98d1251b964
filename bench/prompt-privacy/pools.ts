/**
 * Invented values for the prompt-privacy eval (`dataset.ts`). Each pool is split in two: entries at
 * even positions fill the development prompts, odd positions the held-out ones, so no value of the
 * held-out half is ever seen while developing rules. Names and places are realistic for their
 * language (real first names and cities, invented combinations); organisations, products and
 * projects are invented in the styles people use (common words glued together, lowercase repo
 * names, CamelCase brands, common-word code names).
 */

const list = (s: string): string[] =>
  s
    .split("|")
    .map((x) => x.trim())
    .filter(Boolean);

/** Full names per language; first names and surnames are derived from them. */
export const NAMES: Record<string, string[]> = {
  en: list(
    "Maria Keller|Tom Whitaker|Priya Raman|Jake Morrison|Hannah O'Connell|Derek Osei|Linda Vasquez|Owen Blackwood|Chloe Nguyen|Marcus Feld|Sofia Albright|Ryan Castellano|Emily Tran|Victor Ashdown|Grace Holloway|Nathan Pryce|Zoe Kaplan|Ahmed Rahimi|Bethany Cole|Connor Doyle|Isabel Hart|Kwame Mensah|Lucy Fairbanks|Ethan Brooks|Rachel Stein|Samuel Okafor|Megan Lowry|Dylan Reyes|Aisha Bello|Patrick Quinlan|Nora Lindqvist|Julian Weston",
  ),
  fr: list(
    "Camille Dubois|Julien Moreau|Élodie Garnier|Mathieu Lefèvre|Sandrine Roux|Thibault Mercier|Aurélie Fontaine|Benoît Carpentier|Manon Giraud|Guillaume Perrin|Inès Chevalier|Loïc Barbier",
  ),
  de: list(
    "Jürgen Hoffmann|Anke Schröder|Lukas Brandt|Katrin Weiß|Matthias Vogel|Sabine Krüger|Florian Zimmermann|Heike Lorenz|Tobias Albrecht|Ute Schreiber|Moritz Fuchs|Svenja Hartmann",
  ),
  es: list(
    "Lucía Fernández|Javier Morales|Carmen Ortega|Diego Navarro|Paula Jiménez|Álvaro Castillo|Marta Iglesias|Sergio Domínguez|Nerea Vidal|Raúl Serrano|Alba Delgado|Iker Romero",
  ),
  pt: list(
    "João Carvalho|Beatriz Sousa|Tiago Ferreira|Mariana Lopes|Rafael Pinto|Inês Monteiro|Gonçalo Ribeiro|Larissa Teixeira",
  ),
  it: list(
    "Giulia Bianchi|Marco Esposito|Francesca Greco|Lorenzo Ricci|Chiara Colombo|Davide Marino|Elena Conti|Stefano Gallo",
  ),
  nl: list(
    "Sanne de Vries|Pieter Jansen|Femke Bakker|Joris van Dijk|Lotte Visser|Bram Smit|Eva Mulder|Daan Bos",
  ),
  pl: list(
    "Katarzyna Nowak|Piotr Wiśniewski|Agnieszka Wójcik|Tomasz Kowalczyk|Magdalena Zielińska|Łukasz Szymański|Joanna Dąbrowska|Paweł Lewandowski",
  ),
  ru: list(
    "Анна Смирнова|Дмитрий Козлов|Екатерина Волкова|Сергей Морозов|Ольга Лебедева|Алексей Новиков|Наталья Соколова|Игорь Павлов|Мария Кузнецова|Андрей Федоров",
  ),
  uk: list("Олена Шевченко|Тарас Бондаренко|Ірина Коваленко|Богдан Ткаченко|Оксана Мельник|Максим Кравчук"),
  zh: list("王伟|李娜|张敏|刘洋|陈静|杨帆|赵磊|黄晓明|周婷|吴昊|徐丽|孙浩"),
  ja: list("佐藤 健|鈴木 美咲|高橋 翔太|田中 由美|伊藤 大輔|渡辺 さくら|山本 拓也|中村 彩"),
  ko: list("김민준|이서연|박지훈|최유진|정하은|강도윤|조수빈|윤서준|장예린|임현우"),
  ar: list("محمد العتيبي|فاطمة الزهراء|أحمد منصور|ليلى حداد|خالد الشمري|نور الهدى|يوسف بن علي|سارة القحطاني"),
  tr: list("Ayşe Yılmaz|Mehmet Demir|Elif Şahin|Burak Çelik|Zeynep Aydın|Emre Koç"),
  hi: list("राहुल शर्मा|प्रिया वर्मा|अमित कुमार|सुनीता यादव"),
  vi: list("Nguyễn Văn An|Trần Thị Hoa|Lê Minh Tuấn|Phạm Thu Trang"),
};

export const CITIES: Record<string, string[]> = {
  en: list(
    "Leeds|Portland|Aberdeen|Tucson|Galway|Brisbane|Halifax|Sacramento|Bristol|Dayton|Adelaide|Spokane|Cork|Winnipeg|Reno|Bournemouth|Albuquerque|Dunedin|Knoxville|Canterbury",
  ),
  fr: list("Lyon|Grenoble|Rennes|Montpellier|Nantes|Clermont-Ferrand|Besançon|Annecy"),
  de: list("Freiburg|Leipzig|Münster|Regensburg|Würzburg|Kassel|Rostock|Bielefeld"),
  es: list("Zaragoza|Valladolid|Málaga|Bilbao|Córdoba|Alicante|Salamanca|Vigo"),
  pt: list("Coimbra|Braga|Curitiba|Recife|Aveiro|Fortaleza"),
  it: list("Bologna|Torino|Verona|Bari|Padova|Trieste"),
  nl: list("Utrecht|Groningen|Eindhoven|Zwolle|Leiden|Haarlem"),
  pl: list("Kraków|Wrocław|Gdańsk|Poznań|Łódź|Lublin"),
  ru: list("Новосибирск|Екатеринбург|Казань|Самара|Воронеж|Пермь|Томск|Иркутск"),
  uk: list("Львів|Харків|Одеса|Дніпро|Вінниця|Чернігів"),
  zh: list("杭州|成都|南京|武汉|西安|苏州|厦门|青岛"),
  ja: list("札幌|福岡|名古屋|仙台|神戸|広島"),
  ko: list("부산|대구|인천|광주|대전|수원|울산|전주"),
  ar: list("الرياض|جدة|عمّان|الدوحة|مسقط|الإسكندرية|بيروت|الشارقة"),
  tr: list("İzmir|Bursa|Antalya|Eskişehir|Trabzon|Konya"),
  hi: list("पुणे|जयपुर|लखनऊ|इंदौर"),
  vi: list("Đà Nẵng|Hải Phòng|Cần Thơ|Huế"),
};

/** Organisations: employers, clinics, schools, shops, banks, landlords (invented). */
export const ORGS = list(
  "Halvorsen & Brandt|Quillion Labs|Northwind Dental|Brightpath Logistics|Kessler Institute|Marlowe Capital|Tidewater Credit Union|Fenwick Analytics|Oakridge Family Clinic|Solvane Energy|Harrowgate Insurance|Penrose Academy|Caldera Robotics|Wexley Partners|Bluestem Bakery|Arcturus Health|Driftwood Realty|Lumen & Vale|Corvid Security|Greystone Property Management|Zentrix GmbH|Pavlova Systems|Ironbark Legal|Sunmere Hotels|Velora Biotech|Thistle Bank|Copperline Telecom|Mosswood Elementary|Keystone Pediatrics|Atlas Freight Co|Juniper Ridge Veterinary|Ostara Foods|Redfern Motors|Halcyon Travel|Pinecrest University|Orchid Lane Florist|Valmont Pharma|Silverleaf Accounting|Norrland Paper AB|Bellweather Media",
);

/** Products, projects, apps, brands, repos, code names: what people build or use at work. */
export const TERMS = list(
  "Fernwick|PolarBridge|nimbusdb|tallyho-api|Kestrel|Quorra|Lumina CRM|Project Bluejay|TrailMix|zephyr-ui|Oxbow|Saltline|RedKite|Pipewright|Marigold|HexaPay|Tessellate|cobalt-etl|Grimsby|Voltaire Suite|Fathom|SkyLedger|Orchard|Wavelet|Bramble|ClearDesk|Sprocketly|Nightjar|peachtree-bot|Argent|Moonbeam Portal|Cinder|Helix Notes|Tallow|Ridgeback|QuickRoute|Embertrail|Duskfall|Pangolin|Ardent Studio",
);

/** Usernames and logins. */
export const USERS = list(
  "jdoe_88|mkeller|sunnyfox|tw_2019|priya.r|k1ngpin|ash_ketchum77|dev_ops_dan|lil_bean|m.osei|qwertyqueen|rocky4life|nerdalert_3|b.cole22|the_real_vic|zoe.k|honeybadger|owenb|n8pryce|cat_lady_99",
);

export const STREETS: Record<string, string[]> = {
  en: list(
    "14 Larkspur Lane|221 Wexford Road|9 Pembroke Close|1180 Birchwood Ave|37 Chandler Street|502 Kingsbury Drive|76 Ashcombe Way|3 Millbrook Court",
  ),
  fr: list("12 rue des Tanneurs|8 avenue Jean-Jaurès|27 boulevard Voltaire|3 impasse des Lilas"),
  de: list("Lindenstraße 14|Am Mühlbach 3|Goethestraße 27a|Kastanienweg 8"),
  es: list("Calle Mayor 21|Avenida de la Paz 7|Calle del Olivo 3, 2ºB|Paseo de Gracia 112"),
};

export const DOMAIN_WORDS = list(
  "harbourline|kestrelworks|blueorchard|mintleaf|gravelpit|quietfox|bytecanyon|driftlabs|pinnacle-hr|tidalwave|oakmoss|nordwind|fieldnote|lanternhq|copperkettle|sparrowmail|cobbleshop|fernhill|moonrail|glassbox",
);

export const ACRONYMS = list(
  "KJRT|QZNOP|BDMS|TRX|HGCA|PLMT|NWDC|ZFI|OSPR|CRVX|DMGT|WQA|LRBK|FNSC|VTRH|GPXD|MHRA-Q|SKBL|JTWO|RDNX|EAPM|ULTC|BXG|KPWN",
);
