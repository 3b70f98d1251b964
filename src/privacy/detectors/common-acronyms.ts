/**
 * Acronyms that are ordinary English: the acronym detector and strict mode leave them as they are
 * ("SSN", "CEO", "USA", "PDF"). Everything else in capitals ("the KJRT placement cell", "our QZNOP
 * team") is taken to name something of the user's. Lower-case keys.
 */
export const COMMON_ACRONYMS: ReadonlySet<string> = new Set(
  // Countries, regions, international bodies, agencies
  (
    "us usa uk eu un uae ussr gb nz prc drc nato who wto imf oecd opec asean nafta unesco unicef fifa uefa nba nfl nhl mlb " +
    "nasa fbi cia nsa irs dmv fda cdc nih epa faa ftc sec fcc dhs ice tsa nhs bbc cnn abc nbc cbs pbs npr ap afp " +
    "mit ucla nyu usc lse phd mba bsc msc ba ma bs ms md jd llm gcse ged sat act gmat gre toefl ielts " +
    // Business, HR, finance
    "ceo cfo cto coo cio cmo cpo ciso vp svp evp hr pr it qa ux ui r&d rd kpi okr roi p&l pnl ebitda ipo m&a b2b b2c " +
    "saas paas iaas crm erp sla nda mou rfp rfq rfi sow po eod eow cob ooo pto wfh fte pto ytd yoy mom qoq " +
    "llc ltd inc plc gmbh ag sa bv nv co corp vat gst hst tva iva mwst ust iban bic swift ssn ein tin itin " +
    "ira 401k hsa fsa apr apy atm pin cd etf reit gdp cpi usd eur gbp jpy cny chf cad aud inr rub krw " +
    // Tech
    "ai ml llm nlp gpt api sdk ide cli gui os ios cpu gpu ram ssd hdd usb hdmi vpn dns http https ftp sftp ssh ssl tls " +
    "tcp udp ip ipv4 ipv6 lan wan wifi url uri html css js ts json xml yaml yml csv tsv pdf png jpg jpeg gif svg mp3 mp4 " +
    "sql nosql db dbms orm etl aws gcp ec2 s3 iam rds k8s ci cd devops sre jwt oauth sso mfa 2fa otp ssn pii gdpr hipaa " +
    "ccpa pci dss soc iso ieee rfc utf ascii oop mvc mvp poc qa uat prod dev env repo pr mr wip todo faq diy " +
    "tv dvd cd pc mac id ok asap fyi btw tbd tba eta rsvp ps pps nb aka diy imo imho tl dr tldr lol omg " +
    // Health, everyday
    "er icu gp ent ob gyn ob-gyn mri ct ekg ecg bp bmi adhd ocd ptsd hiv aids std sti covid cpr ems ivf ibs uti " +
    "am pm ad bc bce ce est pst cst mst gmt utc cet bst edt pdt " +
    "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xx"
  ).split(" "),
);
