"""Word lists for pseudonymisation: name gazetteer, surrogate pools and clinical words to protect.

The first-name gazetteer is the union of Faker's person providers for French and for the
languages most present in French hospitals (it is broader than the generator's own list, so that
the detector does not just learn the commons); surrogates come from Faker ``fr_FR``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import import_module
from pathlib import Path

GAZETTEER_LOCALES = ("fr_FR", "fr_CA", "fr_CH", "fr_BE", "it_IT", "es_ES", "pt_PT", "en_US",
                     "ar_AA", "tr_TR", "ro_RO", "de_DE", "nl_BE", "pl_PL")

# Capitalised French words that also appear in foreign first-name lists: never a name on their own.
COMMON_WORDS = frozenset("""
Motif Examen Conclusion Service Terrain Traitement Constantes Pendant Diagnostic Histoire Bilan Mode
Nom Note Pas Patient Patiente Entrée Sortie Admission Copie Validé Rédigé Tél Adresse Domicile Vit
Personne Prélèvement Renseignements Évolution Evolution Consultation Ordonnance Contrôle Revu Revue
Je Nous Il Elle Le La Les Un Une Au Aux Du Des De En Sur Sous Par Pour Avec Sans Dans Chez Vers
Total Stade Pièce Scanner Absence Présence Mise Relais Apyrexie Amélioration France Mars Mai Juin
Août Avril Juillet Janvier Février Septembre Octobre Novembre Décembre Grade Type Classe Dose Ttt
Clinique Hôpital Centre Institut Interne Chef Assistant Praticien Docteur Professeur Madame Monsieur
Secrétariat Urologie Cardiologie Oncologie Marie-Curie Gustave Roussy Saint Sainte Notre Dame
Né Née Nee Date Dates Heure Lieu Âge Age Sexe Poids Taille Signé Signature Objet Destinataire Réf
Sgt Cpl Cch Sap Adj Adc Cne Cdt Lcl Ltn MdL Brig
""".split())   # the last line: ranks written short before a firefighter's or a soldier's name ("Sgt VIGOUROUX"), no first names

# Surnames that are also ordinary French words: matched from a patient identity only capitalised and
# outside ordinary use ("petit épanchement" stays; "Mme Petit" goes).
COMMON_WORD_NAMES = frozenset("""
petit grand blanc noir roux brun fort bon vert rouge rose gros long court doux franc fontaine bois
berger boucher marchand meunier chevalier mercier renard loup mouton moulin roche riviere pierre
page france masse marais lac mars mai juin jour nuit chauve sage leger droit
sauvage simple double chaud froid sec dur lent vif faible ferme vivant lourd haut bas
""".split())

# Clinical words that look like names: eponyms, gene and protein symbols, drugs, germs, scores. The antibiotics
# include every INN word of the CU6 lexicons (corpus/lexicons/infectiology.yaml, the infectiology use case's
# lexicons and antibiotic_classes.yaml; sources there: WHO ATC index, CA-SFM / EUCAST 2024), antibiogram lines
# writing them in capitals ("TAZOBACTAM") the NER proposed as names; a test keeps the two lists in step.
_PROTECTED_WORDS = """
Vitamine Hépatite Hepatite Stade Grade Classe Groupe Phase Facteur
Hodgkin Crohn Parkinson Alzheimer Basedow Babinski Hashimoto Addison Cushing Wilson Kaposi Raynaud
Barrett Bouveret Burkitt Waldenström Waldenstrom Sjögren Sjogren Horton Wegener Marfan Turner Down
Lyme Guillain Barré Barre Kawasaki Behçet Behcet Whipple Paget Lasègue Lasegue Murphy Glasgow
Child Pugh Apgar Gleason Breslow Clark Fontaine Killip NYHA Wells Geneva Charlson Karnofsky
Bismuth Pott Bell Ménière Meniere Ewing Wilms Hirschsprung Kaplan Meier Fisher Student Cockcroft
Gault MDRD Scarpa Douglas Morgagni Treitz Oddi Vater Calot Fallot Wolff Brugada Dressler Tietze
HER2 ERBB2 EGFR KRAS NRAS BRAF ALK ROS1 MET RET NTRK PIK3CA BRCA BRCA1 BRCA2 TP53 IDH1 IDH2 MGMT
MSI MMR PD-L1 PDL1 Ki67 Ki-67 MIB1 CD20 CD30 CD3 CK7 CK20 TTF1 TTF-1 ER PR RE RP PSA CA125 ACE
FISH SISH CISH NGS PCR IHC TNM UICC AJCC OMS WHO ECOG HTA DT2 BPCO IRC ATCD RAS ECBU ECG IRM TDM
TEP TAP DDN NIR IPP NDA INS NSS SARM BLSE EPC ERV BHRe CASE AMM IDM IMC AVC EP TVP FA IDE AS PH SSR SAU SAMU SMUR CHU CH
PICC Picc PICC-line Midline PAC CVC KTC VVP VVC DVE DVP
Herceptin Trastuzumab Pertuzumab Bévacizumab Bevacizumab Cétuximab Cetuximab Pembrolizumab Nivolumab
Osimertinib Imatinib Tamoxifène Tamoxifene Létrozole Letrozole Anastrozole Doxorubicine Paclitaxel
Docétaxel Docetaxel Cisplatine Carboplatine Oxaliplatine Capécitabine Capecitabine Folfox Folfiri
Amoxicilline Augmentin Ceftriaxone Céfotaxime Cefotaxime Vancomycine Gentamicine Amikacine Tazocilline
Pipéracilline Méropénème Meropeneme Imipénème Ertapénème Ciprofloxacine Lévofloxacine Ofloxacine
Cotrimoxazole Bactrim Métronidazole Metronidazole Clindamycine Rifampicine Linézolide Daptomycine
Colistine Fosfomycine Oxacilline Cloxacilline Doliprane Paracétamol Paracetamol Kardégic Kardegic
Lovenox Eliquis Xarelto Levothyrox Lasilix Solupred Cortancyl Inexium Mopral Tramadol Morphine
Staphylococcus Streptococcus Enterococcus Escherichia Klebsiella Pseudomonas Enterobacter Proteus
Acinetobacter Candida Listeria Salmonella Legionella Clostridioides Aspergillus Serratia Citrobacter
Morganella Haemophilus Neisseria Mycobacterium
Typhi Paratyphi Typhimurium Enteritidis Shigella Brucella Bordetella Yersinia Campylobacter Helicobacter
Tazobactam Ceftolozane Triméthoprime Sulfaméthoxazole Clavulanique Avibactam Relebactam Vaborbactam Sulbactam
Ampicilline Ticarcilline Témocilline Mécillinam Ceftazidime Céfépime Céfoxitine Céfuroxime Céfixime Céfazoline
Céfalexine Céfalotine Céfidérocol Ceftaroline Ceftobiprole Aztréonam Benzylpénicilline Phénoxyméthylpénicilline
Teicoplanine Dalbavancine Tigécycline Tétracycline Tobramycine Kanamycine Streptomycine Azithromycine Érythromycine
Pristinamycine Chloramphénicol Fusidique Nalidixique Norfloxacine Moxifloxacine Nitrofurantoïne Tédizolide
Isoniazide Pyrazinamide Éthambutol
"""

# lines and catheters named by an acronym: "l'IDE PICC" (who removed it) is no nurse's surname
DEVICES = frozenset("picc midline pac cvc ktc vvp vvc dve dvp".split())

FAMILY_STATUSES_F = ("mariée", "célibataire", "divorcée", "veuve", "en couple", "pacsée")
FAMILY_STATUSES_M = ("marié", "célibataire", "divorcé", "veuf", "en couple", "pacsé")
NATIONALITIES = ("française", "algérienne", "portugaise", "marocaine", "belge", "italienne",
                 "sénégalaise", "tunisienne", "espagnole", "turque", "roumaine", "malienne",
                 "ivoirienne", "polonaise", "allemande", "britannique", "chinoise", "vietnamienne",
                 "comorienne", "haïtienne", "camerounaise", "suisse", "brésilienne")
NATIONALITIES_M = ("français", "algérien", "portugais", "marocain", "italien", "sénégalais",
                   "tunisien", "espagnol", "turc", "roumain", "malien", "ivoirien", "polonais",
                   "allemand", "chinois", "vietnamien", "comorien", "haïtien", "camerounais",
                   "brésilien")
# nationality adjectives the detector recognises after a cue ("d'origine serbe", "de nationalité malgache");
# detection only (the surrogate pools stay NATIONALITIES / NATIONALITIES_M)
_NAT_MASC = """
serbe croate bosniaque slovène russe ukrainien biélorusse arménien géorgien azerbaïdjanais albanais kosovar
macédonien bulgare hongrois tchèque slovaque moldave tchétchène grec chypriote irlandais anglais écossais
gallois néerlandais danois suédois norvégien finlandais islandais autrichien luxembourgeois américain
canadien québécois mexicain colombien péruvien chilien argentin vénézuélien équatorien bolivien cubain
dominicain guyanien syrien libanais irakien iranien afghan pakistanais indien sri-lankais bangladais
népalais japonais coréen thaïlandais philippin cambodgien laotien indonésien malaisien israélien palestinien
jordanien saoudien yéménite égyptien libyen soudanais éthiopien érythréen somalien djiboutien kényan
nigérian ghanéen togolais béninois burkinabè nigérien tchadien centrafricain congolais gabonais guinéen
mauritanien gambien capverdien cap-verdien malgache mauricien angolais mozambicain zimbabwéen sud-africain
""".split()


def _nat_forms(word: str) -> tuple[str, ...]:
    if word.endswith("e") or word.endswith(("è", "ar")):
        return (word,)
    if word == "grec":
        return (word, "grecque")
    return (word, word + ("ne" if word.endswith(("ien", "éen")) else "e"))


NATIONALITY_WORDS = tuple(dict.fromkeys(NATIONALITIES + NATIONALITIES_M
                                        + tuple(f for w in _NAT_MASC for f in _nat_forms(w))))
COUNTRIES = ("Portugal", "Maroc", "Sénégal", "Belgique", "Italie", "Vietnam", "Algérie", "Tunisie",
             "Espagne", "Turquie", "Roumanie", "Mali", "Côte d'Ivoire", "Pologne", "Allemagne",
             "Royaume-Uni", "Chine", "Comores", "Haïti", "Cameroun", "Suisse", "Brésil", "Liban",
             "Égypte", "Congo", "Madagascar", "Guinée", "Cambodge", "Laos", "Syrie", "Ukraine", "Nigeria",
             "Israël", "Irlande", "Pays-Bas", "Luxembourg", "Autriche", "Grèce", "Russie", "Inde", "Pakistan",
             "Japon", "Canada", "Mexique", "Argentine", "Colombie", "Pérou", "Chili", "Gabon", "Bénin", "Togo",
             "Niger", "Tchad", "Mauritanie", "Burkina Faso", "Ghana", "Kenya", "Éthiopie", "Iran", "Irak",
             "Afghanistan", "Arménie", "Géorgie", "Moldavie", "Bulgarie", "Hongrie", "Serbie", "Croatie",
             "Albanie", "Kosovo", "Sri Lanka", "Bangladesh", "Philippines", "Thaïlande", "Australie",
             "États-Unis", "Angleterre", "Écosse", "Danemark", "Suède", "Norvège", "Finlande", "Islande",
             "Tchéquie", "Slovaquie", "Slovénie", "Lituanie", "Lettonie", "Estonie", "Cap-Vert", "Réunion",
             "Martinique", "Guadeloupe", "Guyane", "Mayotte", "Nouvelle-Calédonie")


def _country_file() -> tuple[str, ...]:
    """Country names of ``countries_fr.txt`` (CLDR French names, variants, endonyms; its header says the source)."""
    lines = Path(__file__).with_name("countries_fr.txt").read_text(encoding="utf-8").splitlines()
    return tuple(line.split("\t")[0] for line in lines if line.strip() and not line.startswith("#"))


def town_key(name: str) -> str:
    """A town name's lookup key: folded, hyphens, apostrophes and spaces one space ("SAINT LAURENT DU MARONI")."""
    return re.sub(r"[\s\-'’]+", " ", fold(name)).strip()


@lru_cache(maxsize=1)
def communes() -> frozenset[str]:
    """Keys (:func:`town_key`) of the French commune names of ``communes_fr.txt`` (INSEE COG, Licence Ouverte 2.0;
    its header names the source and the script that builds it)."""
    lines = Path(__file__).with_name("communes_fr.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(town_key(line) for line in lines if line.strip() and not line.startswith("#"))


# detection only (the surrogate pool stays COUNTRIES): every country the PAYS rules recognise
COUNTRY_NAMES = tuple(dict.fromkeys(COUNTRIES + _country_file()))


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """ISO 3166 two-letter codes of the states other than France (Faker's list): "Couvet (CH)" (batch 26)."""
    from faker.providers.address import Provider as Address

    return frozenset(Address.alpha_2_country_codes) - {"FR"}


CITY_SUFFIXES = ("", "-sur-Marne", "-le-Vieux", "-les-Pins", "ville", "-en-Vexin", "-la-Rivière",
                 "-sur-Mer", "court")
STREET_TYPES = ("rue", "avenue", "boulevard", "chemin", "allée", "impasse", "place", "route",
                "quai", "cours", "square")


def fold(text: str) -> str:
    """Case- and accent-insensitive key for lookups and surrogate consistency."""
    if text.isascii():
        return text.lower()   # same result, without the normalisation: most words of a note are ASCII
    return _fold_unicode(text)


@lru_cache(maxsize=65536)
def _fold_unicode(text: str) -> str:
    flat = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in flat if not unicodedata.combining(c))


# each word case-folded and accent-folded: lookups use ``fold`` ("PIPERACILLINE" finds "Pipéracilline")
# bacteria's and fungi's species epithets: protected, and never a surname after the genus's initial ("E. COLI",
# "S. AUREUS"; batch 24, session 21 h22)
SPECIES_EPITHETS = frozenset("""
coli faecalis faecium aureus epidermidis pneumoniae cloacae aeruginosa mirabilis marcescens baumannii oxytoca aerogenes
freundii maltophilia influenzae catarrhalis pyogenes agalactiae dysgalactiae albicans glabrata fumigatus monocytogenes
jejuni pylori lugdunensis haemolyticus acnes fragilis perfringens meningitidis gonorrhoeae trachomatis falciparum
""".split())
PROTECTED = frozenset(form for w in _PROTECTED_WORDS.split() for form in (w.casefold(), fold(w))) | SPECIES_EPITHETS


@lru_cache(maxsize=1)
def first_names() -> dict[str, str]:
    """Folded first name → sex ("M", "F" or "?") over the gazetteer locales (clinical words removed)."""
    out: dict[str, str] = {}
    common = {fold(w) for w in COMMON_WORDS}
    for loc in GAZETTEER_LOCALES:
        try:
            provider = import_module(f"faker.providers.person.{loc}").Provider
        except ImportError:  # a Faker release without this locale: the others still apply
            continue
        for attr, sex in (("first_names_male", "M"), ("first_names_female", "F"), ("first_names", "?")):
            names = getattr(provider, attr, None) or ()
            for name in names:
                if len(name) < 3 or not name[0].isupper():
                    continue
                key = fold(name)
                if key in common or key in PROTECTED:
                    continue
                prev = out.get(key)
                out[key] = sex if prev in (None, "?", sex) else ("?" if sex != "?" else prev)
    return out


@lru_cache(maxsize=1)
def surrogate_pools() -> dict[str, tuple[str, ...]]:
    """Faker fr_FR pools the surrogates are drawn from (fictional, realistic French)."""
    from faker.providers.address.fr_FR import Provider as Address
    from faker.providers.job.fr_FR import Provider as Job
    from faker.providers.person.fr_FR import Provider as Person

    return {
        "first_M": tuple(Person.first_names_male),
        "first_F": tuple(Person.first_names_female),
        "last": tuple(Person.last_names),
        "jobs": tuple(j for j in Job.jobs if len(j) < 40),
        "departments": tuple(d[0] for d in Address.departments if d[0].isdigit() and len(d[0]) == 2),
    }


# Health-care staff titles: in a clinical note they name the staff far more often than the patient's job.
_STAFF_WORDS = ("médecin", "infirmi", "aide-soignant", "kiné", "pharmacien", "anesthésiste", "sage-femme",
                "chirurgien", "psycholog", "diététicien", "ambulancier", "interne", "radiolog", "biologiste",
                "orthophon", "ergothérapeute", "psychomotricien", "manipulateur", "préparateur", "cadre",
                "anatomiste", "dentiste", "vétérinaire", "opticien", "podologue", "orthoptiste", "secrétaire médical")


def _feminine(word: str) -> set[str]:
    out = {word}
    for end, fem in (("teur", "trice"), ("eur", "euse"), ("ier", "ière"), ("ien", "ienne"), ("er", "ère"),
                     ("on", "onne"), ("if", "ive"), ("ant", "ante"), ("ent", "ente"), ("at", "ate")):
        if word.endswith(end):
            out.add(word[: -len(end)] + fem)
            break
    else:
        if not word.endswith("e"):
            out.add(word + "e")
    return out


# Hospitals known by a bare proper name ("transférée à Bichat", "Urgences de Avicenne"): public names of
# large French sites, matched only after a place cue (``pseudonymisation``). Eponyms of anatomy or signs
# (Tenon, Broca) are left out: "capsule de Tenon", "aphasie de Broca".
FACILITY_NAMES = ("Bichat", "Avicenne", "Cochin", "Necker", "Lariboisière", "Bicêtre", "Béclère", "Beaujon",
                  "Rothschild", "Trousseau", "Pitié-Salpêtrière", "la Pitié", "Salpêtrière", "Saint-Louis",
                  "Saint-Antoine", "Henri-Mondor", "Mondor", "Georges-Pompidou", "HEGP", "Robert-Debré",
                  "Ambroise-Paré", "Jean-Verdier", "Louis-Mourier", "Paul-Brousse", "Raymond-Poincaré",
                  "Bretonneau", "Purpan", "Rangueil", "la Timone", "Timone", "Pellegrin", "Haut-Lévêque",
                  "Édouard-Herriot", "Lyon-Sud", "Croix-Rousse", "Pontchaillou", "Gustave-Roussy", "Foch",
                  "Percy", "Bégin", "Val-de-Grâce", "Hautepierre", "l'Archet", "Cimiez", "Laënnec",
                  "Dupuytren", "Charles-Nicolle", "Hôtel-Dieu", "Kremlin-Bicêtre", "Saint-Joseph", "Tarnier")


def _jobs_file() -> tuple[str, ...]:
    """Job nouns of ``jobs_fr.txt`` (masculine; its header names the source and what is left out)."""
    lines = Path(__file__).with_name("jobs_fr.txt").read_text(encoding="utf-8").splitlines()
    return tuple(dict.fromkeys(line.strip() for line in lines if line.strip() and not line.startswith("#")))


@lru_cache(maxsize=1)
def facility_types() -> frozenset[str]:
    """Acronyms of ``facility_types_fr.txt``: kinds of facility, unit or carer ("CHU", "SSR", "PMI", "IDE"), never
    one facility's own name (its header names the source)."""
    lines = Path(__file__).with_name("facility_types_fr.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


# Everyday jobs beside Faker's list (masculine; feminine forms are derived). Health-care titles among
# them are kept because in the phrase shapes where professions are looked for (a line or a clause of its
# own after the patient's identity: "34 ans, infirmière libérale,") they are the patient's or a relative's job.
EVERYDAY_JOBS = _jobs_file()


@lru_cache(maxsize=1)
def everyday_jobs() -> frozenset[str]:
    """Folded :data:`EVERYDAY_JOBS`, masculine and feminine ("serveuse", "professeure", "étudiante")."""
    out = set()
    for job in EVERYDAY_JOBS:
        head, _, rest = job.partition(" ")
        for form in _feminine(head) | ({head + "e"} if head.endswith("eur") else set()):
            out.add(fold(f"{form} {rest}".strip()))
    return frozenset(out)


@lru_cache(maxsize=1)
def professions() -> frozenset[str]:
    """Folded one- or two-word professions (Faker fr_FR jobs, masculine and feminine), staff titles excluded."""
    from faker.providers.job.fr_FR import Provider as Job

    out: set[str] = set()
    for job in Job.jobs:
        words = job.lower().split()
        if not words or any(w in job.lower() for w in _STAFF_WORDS):
            continue
        head = words[0]
        if len(head) >= 5 and head.isalpha() or "-" in head:
            for form in _feminine(head):
                out.add(fold(form))
        if len(words) >= 3 and words[1] in ("de", "d'", "du", "en") or len(words) == 2:
            out.add(fold(" ".join(words[:3] if words[1] in ("de", "du", "en") else words[:2])))
    out |= _swiss_and_algerian_job_heads()
    common = {fold(c) for c in COMMON_WORDS}
    return frozenset(w for w in out if fold(w) not in common and fold(w) not in PROTECTED)


# head words of Faker's fr_CH and fr_DZ job lists that are no occupation of their own, or a word of care or of a clinical
# note before a job ("accompagnant", "expert", "correcteur", "forestier" of "chemin forestier", "policier" of a novel)
_NOT_JOB_HEADS = frozenset(fold(w) for w in (
    "professionnel", "specialista", "spécialiste", "expert", "experte", "manager", "contact", "conseil", "interactive",
    "marketing", "packaging", "fashion", "fashiondesigner", "supply", "screen", "cabin", "key", "mentor", "dipl.", "diplom",
    "web", "ict-manager", "gouvernant", "thermiste", "guide", "pilote", "moniteur", "facteur", "secouriste", "thérapeute",
    "art-thérapeute", "naturopathe", "masseur", "physiothérapeut", "hygiéniste", "instructeur", "responsable",
    "directeur", "dirigeant", "praticien", "créateur", "correcteur", "coordinateur", "planificateur", "superviseur-coach",
    "réalisateur", "déclarant", "représentant", "adjoint", "attaché", "chargé", "commis", "juge", "assistant", "cadre",
    "chef", "agent", "aide", "maître", "interprète", "acheteur", "auditeur", "analyste", "designer", "contrôleur",
    "diagnosticien", "laborantin", "laboriste", "technologue", "restaurateur", "réparateur", "opérateur", "officier",
    "accompagnant", "accompagnateur", "gestionnaire", "exploitant", "forestier", "policier", "poseur", "termineur",
    "recycleur", "vérificateur", "orthopédiste", "ambulancier", "intendant", "travailleur", "employé", "enseignant-chercheur",
    "biologiste", "médecin", "sage-femme", "maïeuticien", "kinésithérapeute", "psychologue", "pharmacien", "chirurgien",
    "infirmier", "secrétaire", "dermapigmentologue", "ecobiologiste", "installateur", "constructeur", "concepteur",
    "conseiller", "éducateur", "procureur", "enquêteur", "directrice", "cheffe", "officière", "acheteuse", "adjointe",
    "agente", "assistante", "chargée", "commise", "déclarante", "opératrice", "représentante", "travailleuse",
    "experte", "experte-comptable", "enseignante-chercheuse", "procureure", "attachée", "administrateur"))


@lru_cache(maxsize=1)
def _swiss_and_algerian_job_heads() -> frozenset[str]:
    """Folded head words (masculine and feminine) of Faker's fr_CH (Swiss occupations, 828 titles) and fr_DZ (226) job
    lists (MIT licence; the commons generator draws from fr_FR only, so a commons figure does not read them back)."""
    from faker.providers.job.fr_CH import Provider as SwissJob
    from faker.providers.job.fr_DZ import Provider as AlgerianJob

    out: set[str] = set()
    for job in (*SwissJob.jobs, *AlgerianJob.jobs):
        head = re.split(r"[ ,/(]", job.strip())[0].lower()
        if len(head) < 5 or not head.replace("-", "").isalpha() or fold(head) in _NOT_JOB_HEADS \
                or any(w in head for w in _STAFF_WORDS):
            continue
        out |= {fold(form) for form in _feminine(head)}
    return frozenset(out - {fold(form) for w in _NOT_JOB_HEADS for form in _feminine(w)})


# Month names of the languages a French hospital's letters and forms come in besides French (session 19: dates as a
# class): English, German, Dutch, Portuguese, Italian, Polish (the genitive a date uses: "3 grudnia 2024"), as the
# Unicode CLDR calendar data writes them (full names, lower case; the rules read them case-insensitively), and Turkish
# (batch 23: "née le 12 Mart 1949", "décédée le 28 Kasım 2026"; read only after a day, see ``TURKISH_MONTHS``). Catalan and
# Spanish are read by ``date_iberian``. The words a French note also uses for something else are left out ("mars" is
# French's own; "maj", "may", "mei" alone are read only with a day and a year).
FOREIGN_MONTHS = tuple(sorted(set("""
january february march april june july august september october november december
januar februar märz maerz juni juli oktober dezember
januari februari maart mei augustus
janeiro fevereiro março marco maio junho julho setembro outubro novembro dezembro
gennaio febbraio marzo aprile maggio giugno luglio settembre ottobre dicembre
stycznia lutego marca kwietnia maja czerwca lipca sierpnia września wrzesnia października pazdziernika listopada grudnia
ocak şubat subat mart nisan mayıs mayis haziran temmuz ağustos agustos eylül eylul ekim kasım kasim aralık aralik
""".split()), key=len, reverse=True))
# Turkish months are also first names or words elsewhere ("Nisan", "Ekim"): never read first, before a day or a year
TURKISH_MONTHS = frozenset("ocak şubat subat mart nisan mayıs mayis haziran temmuz ağustos agustos eylül eylul ekim "
                           "kasım kasim aralık aralik".split())
# the English and Dutch month that is also an ordinary word: read only with a day and a year
FOREIGN_MONTHS_WITH_YEAR = ("may", "mei", "maj")
