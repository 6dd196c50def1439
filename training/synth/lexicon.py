"""Hand-written word lists for the synthetic generator (ours, written for ampel).

Names and most street names come from Faker (MIT) at run time; this module holds
what Faker does not have: postcode ranges of real cities, organisations, health
and Art. 9 vocabulary, noun uses of surnames, and a few real-world street names.
Facts such as "Leipzig has postcodes 04103-04357" are public knowledge, not
copyrighted lists.
"""

# city -> (country, [(plz_low, plz_high), ...]); country is DE/AT/CH.
# Ranges are the real postcode ranges of the city (approximately); a number drawn
# from them is plausible for that city even when the exact code is not assigned.
CITY_PLZ = {
    "Berlin": ("DE", [(10115, 10999), (12043, 12689), (13051, 13629), (14050, 14199)]),
    "Hamburg": ("DE", [(20095, 22769)]),
    "München": ("DE", [(80331, 81929)]),
    "Köln": ("DE", [(50667, 51149)]),
    "Frankfurt am Main": ("DE", [(60306, 60599), (65929, 65936)]),
    "Stuttgart": ("DE", [(70173, 70629)]),
    "Düsseldorf": ("DE", [(40210, 40629)]),
    "Leipzig": ("DE", [(4103, 4357)]),
    "Dresden": ("DE", [(1067, 1328)]),
    "Hannover": ("DE", [(30159, 30659)]),
    "Nürnberg": ("DE", [(90402, 90491)]),
    "Bremen": ("DE", [(28195, 28779)]),
    "Essen": ("DE", [(45127, 45359)]),
    "Dortmund": ("DE", [(44135, 44388)]),
    "Bochum": ("DE", [(44787, 44894)]),
    "Duisburg": ("DE", [(47051, 47279)]),
    "Wuppertal": ("DE", [(42103, 42399)]),
    "Bielefeld": ("DE", [(33602, 33739)]),
    "Bonn": ("DE", [(53111, 53229)]),
    "Münster": ("DE", [(48143, 48167)]),
    "Karlsruhe": ("DE", [(76131, 76229)]),
    "Mannheim": ("DE", [(68159, 68309)]),
    "Augsburg": ("DE", [(86150, 86199)]),
    "Wiesbaden": ("DE", [(65183, 65207)]),
    "Mönchengladbach": ("DE", [(41061, 41239)]),
    "Braunschweig": ("DE", [(38100, 38126)]),
    "Kiel": ("DE", [(24103, 24159)]),
    "Chemnitz": ("DE", [(9111, 9247)]),
    "Aachen": ("DE", [(52062, 52080)]),
    "Halle (Saale)": ("DE", [(6108, 6132)]),
    "Magdeburg": ("DE", [(39104, 39130)]),
    "Freiburg im Breisgau": ("DE", [(79098, 79117)]),
    "Krefeld": ("DE", [(47798, 47839)]),
    "Mainz": ("DE", [(55116, 55131)]),
    "Lübeck": ("DE", [(23552, 23570)]),
    "Erfurt": ("DE", [(99084, 99099)]),
    "Rostock": ("DE", [(18055, 18147)]),
    "Kassel": ("DE", [(34117, 34134)]),
    "Potsdam": ("DE", [(14467, 14482)]),
    "Saarbrücken": ("DE", [(66111, 66133)]),
    "Heidelberg": ("DE", [(69115, 69126)]),
    "Würzburg": ("DE", [(97070, 97084)]),
    "Regensburg": ("DE", [(93047, 93059)]),
    "Ulm": ("DE", [(89073, 89081)]),
    "Göttingen": ("DE", [(37073, 37085)]),
    "Oldenburg": ("DE", [(26121, 26135)]),
    "Osnabrück": ("DE", [(49074, 49090)]),
    "Paderborn": ("DE", [(33098, 33106)]),
    "Darmstadt": ("DE", [(64283, 64297)]),
    "Trier": ("DE", [(54290, 54296)]),
    "Jena": ("DE", [(7743, 7751)]),
    "Schwerin": ("DE", [(19053, 19063)]),
    "Cottbus": ("DE", [(3042, 3055)]),
    "Gelsenkirchen": ("DE", [(45879, 45899)]),
    "Offenbach am Main": ("DE", [(63065, 63075)]),
    "Ingolstadt": ("DE", [(85049, 85057)]),
    "Bamberg": ("DE", [(96047, 96052)]),
    "Passau": ("DE", [(94032, 94036)]),
    "Konstanz": ("DE", [(78462, 78467)]),
    "Flensburg": ("DE", [(24937, 24944)]),
    "Zwickau": ("DE", [(8056, 8066)]),
    "Wien": ("AT", [(1010, 1230)]),
    "Graz": ("AT", [(8010, 8055)]),
    "Linz": ("AT", [(4020, 4040)]),
    "Salzburg": ("AT", [(5020, 5026)]),
    "Innsbruck": ("AT", [(6020, 6080)]),
    "Klagenfurt am Wörthersee": ("AT", [(9020, 9073)]),
    "Villach": ("AT", [(9500, 9524)]),
    "Wels": ("AT", [(4600, 4600)]),
    "St. Pölten": ("AT", [(3100, 3107)]),
    "Dornbirn": ("AT", [(6850, 6850)]),
    "Bregenz": ("AT", [(6900, 6900)]),
    "Zürich": ("CH", [(8001, 8057)]),
    "Basel": ("CH", [(4001, 4059)]),
    "Bern": ("CH", [(3001, 3030)]),
    "Luzern": ("CH", [(6002, 6015)]),
    "St. Gallen": ("CH", [(9000, 9016)]),
    "Winterthur": ("CH", [(8400, 8411)]),
    "Lausanne": ("CH", [(1003, 1018)]),
    "Zug": ("CH", [(6300, 6300)]),
    "Aarau": ("CH", [(5000, 5004)]),
    "Chur": ("CH", [(7000, 7000)]),
    "Schaffhausen": ("CH", [(8200, 8200)]),
    "Thun": ("CH", [(3600, 3604)]),
}

# Real, very common street names (public facts), mixed with Faker's invented ones.
STREETS_COMMON = [
    "Hauptstraße", "Bahnhofstraße", "Lindenstraße", "Schulstraße", "Gartenstraße",
    "Dorfstraße", "Bergstraße", "Kirchstraße", "Waldstraße", "Ringstraße",
    "Mühlenweg", "Am Markt", "Marktplatz", "Goethestraße", "Schillerstraße",
    "Friedrichstraße", "Berliner Straße", "Kastanienallee", "Birkenweg", "Am Mühlbach",
    "Rosenweg", "Wiesenweg", "Feldstraße", "Parkstraße", "Kantstraße",
    "Beethovenstraße", "Mozartstraße", "Breite Straße", "Lange Reihe", "Am Sportplatz",
    "Im Winkel", "An der Kirche", "Zum Bahnhof", "Sonnenallee", "Königsallee",
    "Leopoldstraße", "Neumarkt", "Alte Landstraße", "Hauptstr.", "Bahnhofstr.",
    "Mariahilfer Straße", "Landstraßer Hauptstraße", "Herrengasse", "Bahnhofstrasse",
    "Seestrasse", "Dorfstrasse", "Kirchgasse", "Rue du Marché",
]

COUNTRIES = [
    "Deutschland", "Österreich", "der Schweiz", "Polen", "der Türkei", "Italien",
    "Spanien", "Frankreich", "Griechenland", "Kroatien", "Rumänien", "Vietnam",
    "Syrien", "der Ukraine", "den Niederlanden", "Dänemark", "Tschechien", "Portugal",
]
REGIONS = [
    "Bayern", "Sachsen", "Hessen", "Niedersachsen", "Nordrhein-Westfalen", "Thüringen",
    "Brandenburg", "Baden-Württemberg", "Schleswig-Holstein", "Tirol", "Kärnten",
    "Vorarlberg", "der Steiermark", "dem Allgäu", "dem Ruhrgebiet", "Mallorca",
    "der Eifel", "dem Schwarzwald", "Ostfriesland", "dem Harz", "Graubünden", "dem Tessin",
]
DISTRICTS = [
    "Köln-Ehrenfeld", "Berlin-Neukölln", "Hamburg-Altona", "München-Schwabing",
    "Frankfurt-Sachsenhausen", "Leipzig-Plagwitz", "Dresden-Neustadt", "Wien-Favoriten",
    "Zürich-Oerlikon", "Stuttgart-Bad Cannstatt", "Düsseldorf-Bilk", "Essen-Rüttenscheid",
]

# Organisations: name -> kind. Real organisations are public names.
ORGS_FIXED = {
    "insurer": [
        "AOK Bayern", "AOK Nordost", "AOK Plus", "Techniker Krankenkasse", "Barmer",
        "DAK-Gesundheit", "IKK classic", "KKH Kaufmännische Krankenkasse", "HUK-COBURG",
        "Allianz Versicherungs-AG", "ERGO Versicherung", "Debeka", "SVS", "ÖGK",
        "Wiener Städtische", "CSS Versicherung", "Helsana", "SWICA", "R+V Versicherung",
        "Signal Iduna", "Generali Deutschland AG",
    ],
    "bank": [
        "Sparkasse KölnBonn", "Stadtsparkasse München", "Deutsche Bank", "Commerzbank",
        "Volksbank Mittelhessen", "Postbank", "ING", "DKB", "Erste Bank", "Raiffeisenbank",
        "UBS", "Zürcher Kantonalbank", "Berliner Sparkasse", "Hamburger Sparkasse",
    ],
    "hospital": [
        "Universitätsklinikum Leipzig", "Charité", "Klinikum rechts der Isar",
        "Helios Klinikum Erfurt", "Asklepios Klinik Altona", "Uniklinik Köln",
        "Städtisches Klinikum Karlsruhe", "AKH Wien", "Universitätsspital Zürich",
        "St. Elisabeth-Krankenhaus", "Vivantes Klinikum Neukölln", "Marienhospital Stuttgart",
        "Praxis Dr. Hoffmann", "Gemeinschaftspraxis am Markt", "Reha-Zentrum Bad Kissingen",
    ],
    "authority": [
        "Finanzamt München", "Jobcenter Dortmund", "Bürgeramt Mitte", "Amtsgericht Charlottenburg",
        "Amtsgericht München", "Landratsamt Rosenheim", "Agentur für Arbeit", "Bundesagentur für Arbeit",
        "Deutsche Rentenversicherung", "Magistrat der Stadt Wien", "Bezirkshauptmannschaft Graz-Umgebung",
        "Ausländerbehörde Hamburg", "Kfz-Zulassungsstelle Köln", "Familienkasse Nordrhein-Westfalen",
        "Stadtwerke Leipzig", "Landgericht Frankfurt am Main", "Bundeszentralamt für Steuern",
    ],
    "company": [
        "Deutsche Telekom", "Telekom", "Vodafone", "O2", "1&1", "Otto", "Zalando", "IKEA",
        "MediaMarkt", "Deutsche Bahn", "DHL", "Hermes", "DPD", "GLS", "Lufthansa", "Amazon",
        "Vattenfall", "E.ON", "EnBW", "A1 Telekom Austria", "Swisscom", "Migros", "Rewe",
        "dm-drogerie markt", "Rossmann", "Lidl", "Aldi Süd", "Tchibo", "Check24", "Flixbus",
        "Booking.com", "Expedia", "ÖBB", "SBB", "Post AG", "Die Schweizerische Post",
        "Siemens", "Bosch", "SAP", "BMW", "Volkswagen", "Mercedes-Benz",
    ],
    "other": [
        "FC Bayern München", "TSV 1860 München", "Borussia Dortmund", "VfB Stuttgart",
        "Volkshochschule Leipzig", "Goethe-Gymnasium", "Grundschule am Park", "Caritas",
        "Diakonie", "Arbeiterwohlfahrt", "Deutsches Rotes Kreuz", "ADAC", "Stiftung Warentest",
        "Verbraucherzentrale", "TÜV Süd", "Technische Universität Dresden", "Universität Wien",
        "IHK München", "Handwerkskammer Hamburg", "Mieterverein Köln",
    ],
}
LEGAL_FORMS = ["GmbH", "GmbH & Co. KG", "AG", "KG", "OHG", "e.K.", "UG (haftungsbeschränkt)", "SE", "e.V.", "GbR"]
COMPANY_WORDS = [
    "Logistik", "Bau", "Elektro", "Immobilien", "Hausverwaltung", "Versand", "Reisen",
    "Möbel", "Technik", "Solar", "Energie", "Sanitär", "Dachdeckerei", "Autohaus",
    "Steuerberatung", "Transporte", "Gebäudereinigung", "Druck", "Software", "Consulting",
    "Fahrräder", "Küchen", "Bestattungen", "Optik", "Malerbetrieb", "Pflegedienst",
]

# ---- Art. 9: health terms about a person ------------------------------------
HEALTH_DIAG = [  # usable as "ich habe X" / "leide an X"
    "Diabetes Typ 2", "Diabetes", "Asthma", "Bluthochdruck", "Multiple Sklerose", "MS",
    "Epilepsie", "Morbus Crohn", "Rheuma", "Krebs", "Brustkrebs", "Prostatakrebs",
    "Depressionen", "Burnout", "Long Covid", "Migräne", "Arthrose", "Demenz", "Alzheimer",
    "Parkinson", "ADHS", "Autismus", "Zöliakie", "Laktoseintoleranz", "Neurodermitis",
    "Tinnitus", "Corona", "HIV", "Hepatitis C", "Magersucht", "Schilddrüsenunterfunktion",
    "Herzrhythmusstörungen", "Angstzustände", "Schuppenflechte", "Gicht", "Bulimie", "Covid",
    "eine Angststörung", "eine bipolare Störung", "eine Nussallergie", "eine Essstörung",
]
HEALTH_EVENT = [  # "nach einem X"
    "Herzinfarkt", "Schlaganfall", "Bandscheibenvorfall", "Hörsturz", "Bänderriss", "Beinbruch",
    "Nervenzusammenbruch", "Kreuzbandriss", "epileptischen Anfall",
]
HEALTH_SYMPT = [
    "Rückenschmerzen", "Fieber", "Schwindel", "Atemnot", "Panikattacken", "Schlafstörungen",
    "starken Kopfschmerzen", "Übelkeit", "Herzrasen", "Gelenkschmerzen", "Durchfall",
]
HEALTH_MED = [
    "Metformin", "Insulin", "Ibuprofen", "Ritalin", "Marcumar", "Antidepressiva", "Sertralin",
    "Citalopram", "L-Thyroxin", "Cortison", "Methotrexat", "Antibiotika", "Blutverdünner",
    "Tilidin", "Novalgin", "Pantoprazol", "Ramipril", "Venlafaxin", "Lithium", "Opioide",
]
HEALTH_TREAT = [
    "Knie-OP", "Hüft-OP", "Chemo", "Chemotherapie", "Bestrahlung", "Dialyse", "Physiotherapie",
    "Reha", "Psychotherapie", "Kur", "Bypass-OP", "Darmspiegelung",
    "Bandscheiben-OP", "künstlichen Befruchtung", "Entgiftung", "Zahn-OP", "Krebsbehandlung", "Strahlentherapie",
]
HEALTH_AID = ["Rollstuhl", "Rollator", "Hörgerät", "Krücken", "Beinprothese", "Gehhilfe", "Blindenhund", "Sauerstoffgerät"]
HEALTH_STATE = [
    "schwanger", "sehbehindert", "gehbehindert", "schwerbehindert", "blind", "gehörlos",
    "pflegebedürftig", "bettlägerig", "krankgeschrieben", "arbeitsunfähig", "dement", "querschnittsgelähmt",
    "depressiv", "suizidgefährdet", "alkoholabhängig", "chronisch krank",
]
HEALTH_CARE = ["Pflegegrad 1", "Pflegegrad 2", "Pflegegrad 3", "Pflegegrad 4", "Pflegegrad 5", "Pflegestufe 2", "GdB 50", "GdB 80"]

# ---- Art. 9: other special categories about a person -------------------------
SPECIAL_RELIGION = ["katholisch", "evangelisch", "Muslim", "Muslimin", "gläubige Muslimin", "jüdisch", "Jüdin", "Zeuge Jehovas", "orthodox", "Buddhist", "konfessionslos", "aus der Kirche ausgetreten"]
SPECIAL_UNION = ["Gewerkschaftsmitglied", "Mitglied der IG Metall", "Mitglied bei ver.di", "Mitglied der GEW", "im Betriebsrat der IG BCE"]
SPECIAL_POLITICS = ["Mitglied der SPD", "CDU-Mitglied", "Grünen-Mitglied", "AfD-Wähler", "Mitglied der Linken", "FDP-Mitglied", "aktiv bei den Grünen"]
SPECIAL_ORIENT = ["schwul", "lesbisch", "bisexuell", "homosexuell", "transgeschlechtlich", "queer"]
SPECIAL_ETHNIC = ["Kurde", "Kurdin", "Sinto", "Romni", "kurdischer Herkunft", "türkischer Abstammung", "Roma"]
SPECIAL_BIO = ["Fingerabdruck", "Gesichtsscan", "Gentest", "DNA-Analyse"]

# ---- negatives: health / Art. 9 words NOT about a person (label O) -----------
HEALTH_NEG_SENTENCES = [
    "Diabetes ist eine Volkskrankheit.",
    "Rund acht Prozent der Erwachsenen hierzulande haben Diabetes.",
    "Migräne betrifft laut Studien jede siebte Frau.",
    "Depressionen sind gut behandelbar, wenn sie früh erkannt werden.",
    "Im Winter steigen die Grippefälle jedes Jahr deutlich an.",
    "Unsere Filialen sind barrierefrei und mit dem Rollstuhl erreichbar.",
    "Die Allergiker-Bettwäsche ist bei 60 Grad waschbar.",
    "Die Diabetiker-Schokolade ist wieder im Sortiment.",
    "Der Schwangerschaftstest im Doppelpack kostet 7,99 €.",
    "Ibuprofen 400 mg, 20 Tabletten, ist wieder lieferbar.",
    "Das Blutdruckmessgerät hat ein großes Display.",
    "Hörgeräte-Batterien gibt es jetzt im Zehnerpack.",
    "Die Rollator-Tasche passt an alle gängigen Modelle.",
    "Das Schwangerschaftskissen ist aus Bio-Baumwolle.",
    "Unsere Zahnzusatzversicherung übernimmt 90 % der Kosten.",
    "Der Tarif Pflegezusatzversicherung Plus ist ab sofort online abschließbar.",
    "Glutenfreie Produkte für Menschen mit Zöliakie finden Sie im Regal 4.",
    "Laut Krankenkassen-Report ist Rückenschmerz die häufigste Ursache für Fehltage.",
    "Der Krankenstand im Team lag im Quartal bei 4,1 %.",
    "Anteil der Retouren wegen Unverträglichkeit: 2 %.",
    "Krebs ist die zweithäufigste Todesursache hierzulande.",
    "Asthma-Sprays gehören ins Handgepäck, nicht in den Koffer.",
    "Das Seminar Stressbewältigung und Burnout-Prävention ist ausgebucht.",
    "Die Corona-Schutzmasken sind nur noch in Größe M verfügbar.",
    "Rollstuhlgerechte Zimmer können direkt im Hotel angefragt werden.",
    "Der Ratgeber Leben mit Parkinson erscheint im Frühjahr.",
    "Die Apotheke hat Cortison-Salbe wieder vorrätig.",
    "Physiotherapie wird oft nach einer Knie-OP verordnet.",
    "Das Vitamin-D-Präparat ist kein Arzneimittel.",
    "Viele Kundinnen fragen nach laktosefreien Alternativen.",
]
SPECIAL_NEG_SENTENCES = [
    "Unsere Osteraktion läuft bis Sonntag.",
    "Die Gewerkschaften und die Arbeitgeber verhandeln seit Wochen.",
    "Die Landtagswahl findet im September statt.",
    "Die Pride-Kollektion ist ab Juni erhältlich.",
    "Halal- und koschere Produkte finden Sie im Regal 7.",
    "Der Weihnachtsmarkt vor dem Dom öffnet am Freitag.",
    "Im Ramadan haben unsere Filialen länger geöffnet.",
    "Der Betriebsrat lädt alle Beschäftigten zur Versammlung ein.",
    "Die Kirchengemeinde sammelt Spenden für Bedürftige.",
    "Der Fingerabdrucksensor des Smartphones reagiert zu langsam.",
]

# Surnames that are also German nouns/adjectives, with noun uses (NOT names).
NOUN_SURNAMES = ["Koch", "Braun", "Vogel", "Fischer", "Wolf", "Klein", "Schmied", "Bauer", "Hahn",
                 "Fuchs", "König", "Winter", "Sommer", "Lang", "Jung", "Stein", "Berg", "Weiß", "Schwarz", "Groß"]
NOUN_USES = [
    "Der Koch in Ihrer Filiale war sehr freundlich.",
    "Unser Koch hat das Menü kurzfristig umgestellt.",
    "Ich hätte die Jacke lieber in Braun gehabt.",
    "Die Schuhe in braun sind leider ausverkauft.",
    "Ein Vogel hat auf dem Balkon das Paket aufgepickt.",
    "Das Futterhaus für den Vogel kam zerbrochen an.",
    "Die Fischer im Hafen verkaufen morgens frischen Fang.",
    "Der Wolf aus Plüsch fehlt im Paket meines Sohnes.",
    "Der Pullover fällt sehr klein aus.",
    "Größe: Klein, Farbe: Schwarz",
    "Der Hahn in der Küche tropft seit der Montage.",
    "Der Bauer vom Hofladen liefert nur dienstags.",
    "Der Kunde ist König, heißt es doch immer.",
    "Im Winter ist die Lieferung oft verspätet.",
    "Diesen Sommer fahren wir nicht weg.",
    "Die Wartezeit war viel zu lang.",
    "Das Angebot gilt für Jung und Alt.",
    "Ein Stein hat die Windschutzscheibe beschädigt.",
    "Das Hotel liegt direkt am Berg.",
    "Das Sofa in Weiß ist nicht mehr lieferbar.",
    "Der Fuchs hat die Mülltonne umgeworfen.",
    "Der Schmied hat das Gartentor repariert.",
    "Die Bestellung ist groß, aber vollständig.",
    "Das Kleid in Schwarz hätte ich gern in Größe 38.",
]

VI_GIVEN = ["Minh", "Thanh", "Lan", "Huong", "Anh", "Duc", "Tuan", "Linh", "Mai", "Hoa", "Quang", "Trang", "Hai", "Long", "Thu", "Phuong", "Hung", "Ngoc"]
AR_EXTRA_FIRST = ["Mohammed", "Ahmad", "Fatima", "Aisha", "Omar", "Yusuf", "Khaled", "Layla", "Mariam", "Hassan", "Ali", "Nour", "Karim", "Samira", "Rania", "Tarek"]
AR_EXTRA_LAST = ["Al-Hassan", "El-Amin", "Haddad", "Khoury", "Mansour", "Saleh", "Nasser", "Abdallah", "Ibrahim", "Al-Masri", "Darwish", "Hamdan"]
NOBLE = ["von Bredow", "von Stein", "von der Heide", "zu Guttenberg", "von Hohenberg", "von Arnim", "zu Sayn", "von Bülow", "van der Berg", "de Vries", "von Weizsäcker", "zu Hohenlohe"]
