"""The calibration texts: what each voice renders once so its length model can be fitted.

Deterministic (a seeded generator over fixed word lists), and varied the way scripts are:
single words and greetings, one clause and several sentences in one breath, lists, questions
and exclamations, numbers of every size, long sentences held together by commas. Languages
with a word list of their own get sentences in that language; any other language reads the
English ones with its own letter-to-sound rules, which still exercises its phonemes.

These texts are for fitting only: the accuracy tests measure on a different corpus.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["CALIBRATION_VERSION", "calibration_texts", "has_word_list"]

# Bump when the texts change: cached models fitted on the old texts are then refitted.
CALIBRATION_VERSION = "2"


@dataclass(frozen=True)
class _Words:
    subjects: tuple[str, ...]
    verbs: tuple[str, ...]
    objects: tuple[str, ...]
    adverbials: tuple[str, ...]
    things: tuple[str, ...]
    interjections: tuple[str, ...]
    and_: str
    or_: str
    but: str
    prose: tuple[str, ...] = ()
    opening: dict[str, str] | None = None  # Spanish opens questions and exclamations: ¿ ¡
    months: tuple[str, ...] = ()  # for dates; languages without them get no dates


_ENGLISH = _Words(
    subjects=(
        "The gardener",
        "A young pilot",
        "Our accountant",
        "The librarian",
        "Two students",
        "The chef",
        "My cousin",
        "A stranger",
        "The committee",
        "Your dentist",
        "The old farmer",
        "Each player",
        "The harbour master",
        "Her grandmother",
        "The night nurse",
        "A delivery driver",
        "The orchestra",
        "Our landlord",
        "The museum guide",
        "A curious child",
        "The ferry captain",
        "His business partner",
    ),
    verbs=(
        "repaired",
        "described",
        "ordered",
        "carried",
        "measured",
        "borrowed",
        "discovered",
        "painted",
        "explained",
        "delivered",
        "noticed",
        "cancelled",
        "recommended",
        "photographed",
        "rearranged",
        "polished",
        "inspected",
        "forgot",
        "celebrated",
        "translated",
        "recorded",
        "folded",
    ),
    objects=(
        "the blue bicycle",
        "a heavy parcel",
        "the final report",
        "an unusual map",
        "the kitchen lights",
        "several chairs",
        "the spring schedule",
        "a silver teapot",
        "the garden fence",
        "our weekly plan",
        "the broken clock",
        "a handwritten letter",
        "the invitation cards",
        "every window upstairs",
        "the quarterly budget",
        "a lighthouse model",
        "the football boots",
        "an old typewriter",
        "the village map",
        "the wedding photographs",
        "a jar of marmalade",
        "the emergency exit",
    ),
    adverbials=(
        "",
        "",
        " yesterday",
        " at dawn",
        " in the rain",
        " very quickly",
        " for the second time",
        " near the market",
        " last winter",
        " without a word",
        " before the meeting",
        " with remarkable patience",
        " on Tuesday afternoon",
    ),
    things=(
        "oranges",
        "lemons",
        "butter",
        "flour",
        "candles",
        "pencils",
        "towels",
        "apples",
        "soap",
        "rice",
        "tea",
        "honey",
        "batteries",
        "envelopes",
        "scissors",
        "sugar",
        "blankets",
        "notebooks",
        "matches",
        "vinegar",
    ),
    interjections=(
        "Hello",
        "Thanks",
        "Sorry",
        "Welcome",
        "Indeed",
        "Great",
        "Of course",
        "Absolutely",
        "Goodbye",
        "Certainly",
        "Good evening",
        "Not yet",
        "Right",
        "Fantastic",
        "Careful",
    ),
    and_="and",
    or_="or",
    but="but",
    prose=(
        "The storm arrived earlier than anyone expected, and by midnight the river had "
        "risen above the old stone wall.",
        "Nobody in the office could remember who had ordered forty boxes of paper clips.",
        "When the bakery finally reopened, the queue stretched all the way to the station.",
        "She packed a torch, two sandwiches and a map, then set off along the coastal path.",
        "Is this the right platform for the train to the airport?",
        "What a wonderful surprise!",
        "Our new opening hours start next Monday; please check the website for details.",
        "After three long weeks of rehearsals, the choir was ready for its first concert.",
        "The recipe calls for a pinch of salt, a little pepper and plenty of fresh basil.",
        "If the weather holds, we will paint the boat on Saturday and launch it on Sunday.",
        "Please keep your ticket until the end of the journey.",
        "He whispered the answer, but the whole classroom heard it anyway.",
        "The library will be closed for refurbishment from the first to the fifteenth.",
        "Few people know that the tower was designed by a schoolteacher.",
        "Turn left at the bakery, cross the bridge, and the cinema is on your right.",
        "Every summer the island hosts a festival of music, food and fireworks.",
    ),
    months=("March", "May", "July", "August", "October", "December", "February"),
)

_GERMAN = _Words(
    subjects=(
        "Der Gärtner",
        "Eine junge Pilotin",
        "Unser Nachbar",
        "Die Bibliothekarin",
        "Zwei Studenten",
        "Der Koch",
        "Mein Vetter",
        "Ein Fremder",
        "Die Kommission",
        "Der alte Bauer",
        "Jede Spielerin",
        "Die Großmutter",
    ),
    verbs=(
        "reparierte",
        "beschrieb",
        "bestellte",
        "trug",
        "vermaß",
        "lieh",
        "entdeckte",
        "malte",
        "erklärte",
        "lieferte",
        "bemerkte",
        "fotografierte",
    ),
    objects=(
        "das blaue Fahrrad",
        "ein schweres Paket",
        "den letzten Bericht",
        "eine seltsame Karte",
        "die Küchenlampen",
        "mehrere Stühle",
        "den Gartenzaun",
        "eine silberne Teekanne",
        "den Wochenplan",
        "die kaputte Uhr",
    ),
    adverbials=("", " gestern", " im Regen", " sehr schnell", " am Dienstag", " ohne ein Wort"),
    things=(
        "Orangen",
        "Zitronen",
        "Butter",
        "Mehl",
        "Kerzen",
        "Bleistifte",
        "Handtücher",
        "Äpfel",
        "Seife",
        "Reis",
        "Tee",
        "Honig",
    ),
    interjections=("Hallo", "Danke", "Entschuldigung", "Willkommen", "Genau", "Natürlich"),
    and_="und",
    or_="oder",
    but="aber",
)

_FRENCH = _Words(
    subjects=(
        "Le jardinier",
        "Une jeune pilote",
        "Notre voisin",
        "La bibliothécaire",
        "Deux étudiants",
        "Le cuisinier",
        "Mon cousin",
        "Un inconnu",
        "Le comité",
        "Le vieux fermier",
        "Chaque joueuse",
        "Sa grand-mère",
    ),
    verbs=(
        "a réparé",
        "a décrit",
        "a commandé",
        "a porté",
        "a mesuré",
        "a emprunté",
        "a découvert",
        "a peint",
        "a expliqué",
        "a livré",
        "a remarqué",
        "a photographié",
    ),
    objects=(
        "le vélo bleu",
        "un colis lourd",
        "le rapport final",
        "une carte étrange",
        "les lampes de la cuisine",
        "plusieurs chaises",
        "la clôture du jardin",
        "une théière en argent",
        "le programme de la semaine",
        "la vieille horloge",
    ),
    adverbials=("", " hier", " sous la pluie", " très vite", " mardi matin", " sans un mot"),
    things=(
        "oranges",
        "citrons",
        "beurre",
        "farine",
        "bougies",
        "crayons",
        "serviettes",
        "pommes",
        "savon",
        "riz",
        "thé",
        "miel",
    ),
    interjections=("Bonjour", "Merci", "Pardon", "Bienvenue", "Exactement", "Bien sûr"),
    and_="et",
    or_="ou",
    but="mais",
)

_SPANISH = _Words(
    subjects=(
        "El jardinero",
        "Una joven piloto",
        "Nuestro vecino",
        "La bibliotecaria",
        "Dos estudiantes",
        "El cocinero",
        "Mi primo",
        "Un desconocido",
        "El comité",
        "El viejo granjero",
        "Cada jugadora",
        "Su abuela",
    ),
    verbs=(
        "reparó",
        "describió",
        "pidió",
        "llevó",
        "midió",
        "prestó",
        "descubrió",
        "pintó",
        "explicó",
        "entregó",
        "notó",
        "fotografió",
    ),
    objects=(
        "la bicicleta azul",
        "un paquete pesado",
        "el informe final",
        "un mapa extraño",
        "las lámparas de la cocina",
        "varias sillas",
        "la valla del jardín",
        "una tetera de plata",
        "el plan semanal",
        "el reloj roto",
    ),
    adverbials=("", " ayer", " bajo la lluvia", " muy rápido", " el martes", " sin decir nada"),
    things=(
        "naranjas",
        "limones",
        "mantequilla",
        "harina",
        "velas",
        "lápices",
        "toallas",
        "manzanas",
        "jabón",
        "arroz",
        "té",
        "miel",
    ),
    interjections=("Hola", "Gracias", "Perdón", "Bienvenidos", "Exacto", "Claro"),
    and_="y",
    or_="o",
    but="pero",
    opening={"?": "¿", "!": "¡"},
)

_ITALIAN = _Words(
    subjects=(
        "Il giardiniere",
        "Una giovane pilota",
        "Il nostro vicino",
        "La bibliotecaria",
        "Due studenti",
        "Il cuoco",
        "Mio cugino",
        "Uno sconosciuto",
        "Il vecchio contadino",
    ),
    verbs=(
        "ha riparato",
        "ha descritto",
        "ha ordinato",
        "ha portato",
        "ha misurato",
        "ha scoperto",
        "ha dipinto",
        "ha spiegato",
        "ha consegnato",
    ),
    objects=(
        "la bicicletta blu",
        "un pacco pesante",
        "il rapporto finale",
        "una mappa strana",
        "le lampade della cucina",
        "parecchie sedie",
        "il recinto del giardino",
    ),
    adverbials=("", " ieri", " sotto la pioggia", " molto in fretta", " martedì"),
    things=("arance", "limoni", "burro", "farina", "candele", "matite", "mele", "sapone"),
    interjections=("Ciao", "Grazie", "Scusi", "Benvenuti", "Esatto", "Certo"),
    and_="e",
    or_="o",
    but="ma",
)

_DUTCH = _Words(
    subjects=(
        "De tuinman",
        "Een jonge piloot",
        "Onze buurman",
        "De bibliothecaris",
        "Twee studenten",
        "De kok",
        "Mijn neef",
        "Een vreemdeling",
        "De oude boer",
    ),
    verbs=(
        "repareerde",
        "beschreef",
        "bestelde",
        "droeg",
        "mat",
        "leende",
        "ontdekte",
        "schilderde",
        "legde uit",
        "bezorgde",
    ),
    objects=(
        "de blauwe fiets",
        "een zwaar pakket",
        "het eindrapport",
        "een vreemde kaart",
        "de keukenlampen",
        "een paar stoelen",
        "het tuinhek",
    ),
    adverbials=("", " gisteren", " in de regen", " heel snel", " op dinsdag"),
    things=("sinaasappels", "citroenen", "boter", "meel", "kaarsen", "potloden", "appels"),
    interjections=("Hallo", "Dank je", "Sorry", "Welkom", "Precies", "Natuurlijk"),
    and_="en",
    or_="of",
    but="maar",
)

_PORTUGUESE = _Words(
    subjects=(
        "O jardineiro",
        "Uma jovem piloto",
        "O nosso vizinho",
        "A bibliotecária",
        "Dois estudantes",
        "O cozinheiro",
        "O meu primo",
        "Um desconhecido",
    ),
    verbs=(
        "consertou",
        "descreveu",
        "encomendou",
        "levou",
        "mediu",
        "emprestou",
        "descobriu",
        "pintou",
        "explicou",
        "entregou",
    ),
    objects=(
        "a bicicleta azul",
        "um pacote pesado",
        "o relatório final",
        "um mapa estranho",
        "as lâmpadas da cozinha",
        "várias cadeiras",
        "a cerca do jardim",
    ),
    adverbials=("", " ontem", " debaixo de chuva", " muito depressa", " na terça-feira"),
    things=("laranjas", "limões", "manteiga", "farinha", "velas", "lápis", "maçãs", "sabão"),
    interjections=("Olá", "Obrigado", "Desculpe", "Bem-vindos", "Exatamente", "Claro"),
    and_="e",
    or_="ou",
    but="mas",
)

_WORD_LISTS: dict[str, _Words] = {
    "en": _ENGLISH,
    "de": _GERMAN,
    "fr": _FRENCH,
    "es": _SPANISH,
    "it": _ITALIAN,
    "nl": _DUTCH,
    "pt": _PORTUGUESE,
}


def has_word_list(language: str) -> bool:
    """Whether ``language`` ("de-DE", "fr") has calibration sentences of its own."""
    return language.split("-")[0].lower() in _WORD_LISTS


def _number(rng: random.Random) -> str:
    kind = rng.randrange(8)
    if kind == 0:
        return str(rng.randint(2, 9))
    if kind == 1:
        return str(rng.randint(10, 99))
    if kind == 2:
        return str(rng.randint(100, 999))
    if kind == 3:
        return str(rng.randint(1900, 2030))
    if kind == 4:
        return f"{rng.randint(1, 99)}.{rng.randint(1, 9)}"
    if kind == 5:
        return f"{rng.randint(1000, 99999):,}"
    if kind == 6:
        return str(rng.randint(10000, 999999))
    return f"{rng.randint(1, 12)}:{rng.choice(('00', '15', '30', '45'))}"


def _digits(rng: random.Random) -> str:
    """A phone number or a code, in the digit groups people write them in."""
    kind = rng.randrange(3)
    if kind == 0:
        return f"{rng.randint(200, 999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    if kind == 1:
        return f"0{rng.randint(100, 999)} {rng.randint(100000, 999999)}"
    return f"{rng.randint(100, 999)}-{rng.randint(1000, 9999)}"


def _sentences(words: _Words, count: int, rng: random.Random) -> list[str]:
    def clause() -> str:
        return (
            f"{rng.choice(words.subjects)} {rng.choice(words.verbs)} "
            f"{rng.choice(words.objects)}{rng.choice(words.adverbials)}"
        )

    def lower_first(text: str) -> str:
        return text[:1].lower() + text[1:]

    texts: list[str] = []
    pool = [
        w
        for group in (words.subjects, words.objects, words.things, words.interjections)
        for phrase in group
        for w in phrase.split()
    ]
    kinds = (
        "clause", "clause", "sentences", "comma", "list", "question", "exclaim", "word",
        "word", "phrase", "phrase", "phrase", "number", "counted", "long", "trailing", "prose",
        "price", "percent", "digits", "date",
    )  # fmt: skip
    while len(texts) < count:
        kind = rng.choice(kinds)
        if kind == "clause":
            text = clause() + rng.choice((".", ".", "!", "?", ""))
        elif kind == "sentences":
            text = " ".join(clause() + rng.choice(".!?") for _ in range(rng.randint(2, 4)))
        elif kind == "comma":
            text = f"{clause()}, {words.but} {lower_first(clause())}."
        elif kind == "list":
            items = rng.sample(words.things, rng.randint(3, 6))
            listed = f"{', '.join(items[:-1])} {words.and_} {items[-1]}"
            text = listed[:1].upper() + listed[1:] + "."
        elif kind == "question":
            text = f"{clause()}, {words.or_} {lower_first(clause())}?"
        elif kind == "exclaim":
            text = f"{rng.choice(words.interjections)}! {clause()}!"
        elif kind == "word":
            text = rng.choice(words.interjections) + rng.choice((".", "!", "", "?", ","))
        elif kind == "phrase":
            phrase = " ".join(rng.sample(pool, rng.randint(1, 4)))
            text = phrase[:1].upper() + phrase[1:] + rng.choice((".", "!", "?", "", ","))
        elif kind == "number":
            text = f"{_number(rng)} {rng.choice(words.things)}."
        elif kind == "counted":
            text = (
                f"{rng.choice(words.subjects)} {rng.choice(words.verbs)} {_number(rng)} "
                f"{rng.choice(words.things)}{rng.choice(words.adverbials)}."
            )
        elif kind == "long":
            text = ", ".join(clause() for _ in range(rng.randint(3, 6))) + "."
        elif kind == "trailing":
            text = f"{clause()}... {lower_first(clause())}."
        elif kind == "price":
            text = (
                f"{rng.choice(words.subjects)} {rng.choice(words.verbs)} {rng.choice(words.things)}"
                f" {rng.choice(('$', '£', '€'))}{rng.randint(1, 999)}"
                f"{rng.choice(('', f'.{rng.randint(0, 99):02d}'))}."
            )
        elif kind == "percent":
            text = (
                f"{rng.choice(words.subjects)} {rng.choice(words.verbs)} {rng.randint(1, 99)}% "
                f"{rng.choice(words.things)}{rng.choice(words.adverbials)}."
            )
        elif kind == "digits":
            text = f"{clause()}: {_digits(rng)}."
        elif kind == "date":
            if not words.months:
                continue
            text = (
                f"{clause()} on {rng.choice(words.months)} {rng.randint(1, 31)}"
                f"{rng.choice(('', f', {rng.randint(1950, 2035)}'))}."
            )
        elif words.prose:
            text = " ".join(rng.sample(words.prose, rng.randint(1, 3)))
        else:
            continue
        if words.opening and text[-1:] in words.opening and kind != "sentences":
            text = words.opening[text[-1]] + text
        texts.append(text)
    return texts


def calibration_texts(language: str, count: int) -> list[str]:
    """``count`` calibration texts for a voice speaking ``language`` ("en-GB", "de")."""
    primary = language.split("-")[0].lower()
    words = _WORD_LISTS.get(primary, _ENGLISH)
    rng = random.Random(f"castwright-calibration-{CALIBRATION_VERSION}-{primary}")
    return _sentences(words, count, rng)
