"""The accuracy corpus for speech length prediction: varied texts, the same every run.

Deliberately unlike the calibration texts the server fits its models on
(castwright.predict.calibration): other words, other sentence shapes, and things the
calibration never shows (prices, phone numbers, percentages, ordinals, dates, markup breaks,
paragraphs of five sentences). A test asserts that no text is shared.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["CORPUS_LANGUAGES", "corpus"]


@dataclass(frozen=True)
class _Lexis:
    people: tuple[str, ...]
    actions: tuple[str, ...]
    places: tuple[str, ...]
    goods: tuple[str, ...]
    times: tuple[str, ...]
    short: tuple[str, ...]
    questions: tuple[str, ...]
    sell: str  # "We sell {list}."
    and_: str
    costs: str  # "{good} costs {price}."
    call: str  # "Call {phone}."
    percent: str  # "{n} percent off {good}."
    year: str  # "Since {year}."


_EN = _Lexis(
    people=(
        "Margaret",
        "the bus driver",
        "our pharmacist",
        "a retired sailor",
        "the twins",
        "my landlady",
        "the new intern",
        "Professor Okafor",
        "the volunteers",
        "Aunt Rosa",
        "the film crew",
        "a nervous tourist",
    ),
    actions=(
        "is waiting outside the cathedral",
        "forgot the umbrella at the theatre",
        "will host the charity auction",
        "planted tulips along the canal",
        "is repainting the lighthouse",
        "found a wallet on the tram",
        "bakes sourdough every Thursday",
        "has booked a table by the window",
        "just won the crossword competition",
        "is learning to play the cello",
    ),
    places=(
        "in the market square",
        "behind the post office",
        "at the riverside cafe",
        "near the old mill",
        "on the second floor",
        "outside the concert hall",
    ),
    goods=(
        "strawberries",
        "garden hoses",
        "winter coats",
        "espresso cups",
        "hiking maps",
        "birthday candles",
        "paintbrushes",
        "wool socks",
        "tennis rackets",
        "olive oil",
    ),
    times=("tonight", "this weekend", "on Friday", "after lunch", "next spring", "at midnight"),
    short=(
        "Thank you.",
        "Good night!",
        "Yes",
        "Absolutely not.",
        "Welcome back!",
        "See you soon.",
        "Perfect.",
        "Hold on!",
        "Cheers",
        "Maybe later?",
    ),
    questions=(
        "Have you tried our new lemon cake?",
        "Would you like a receipt?",
        "Where did everyone go?",
        "Is the museum open on Mondays?",
    ),
    sell="Today we sell {items}.",
    and_="and",
    costs="A box of {good} costs ${dollars}.{cents:02d}.",
    call="For bookings, call {phone}.",
    percent="Save {n}% on {good} {time}.",
    year="The shop has been open since {year}, and it moved on {month} {day}.",
)

_DE = _Lexis(
    people=(
        "Frau Becker",
        "der Busfahrer",
        "unsere Apothekerin",
        "ein alter Seemann",
        "die Zwillinge",
        "der Praktikant",
        "Onkel Werner",
        "die Helfer",
    ),
    actions=(
        "wartet vor dem Dom",
        "hat den Schirm im Theater vergessen",
        "pflanzt Tulpen am Kanal",
        "streicht den Leuchtturm neu",
        "hat eine Geldbörse in der Straßenbahn gefunden",
        "backt jeden Donnerstag Brot",
    ),
    places=("auf dem Marktplatz", "hinter der Post", "im Café am Fluss", "bei der alten Mühle"),
    goods=("Erdbeeren", "Gartenschläuche", "Wintermäntel", "Wanderkarten", "Wollsocken"),
    times=("heute Abend", "am Wochenende", "am Freitag", "nach dem Mittagessen"),
    short=("Vielen Dank.", "Gute Nacht!", "Ja", "Bis bald.", "Perfekt.", "Moment mal!"),
    questions=("Haben Sie schon unseren Kuchen probiert?", "Wo sind denn alle?"),
    sell="Heute verkaufen wir {items}.",
    and_="und",
    costs="Eine Kiste {good} kostet {dollars} Euro.",
    call="Für Buchungen rufen Sie {phone} an.",
    percent="Sparen Sie {n} Prozent auf {good}.",
    year="Das Geschäft gibt es seit {year}.",
)

_FR = _Lexis(
    people=(
        "Madame Girard",
        "le chauffeur du bus",
        "notre pharmacienne",
        "un vieux marin",
        "les jumeaux",
        "le stagiaire",
        "l'oncle Bernard",
        "les bénévoles",
    ),
    actions=(
        "attend devant la cathédrale",
        "a oublié son parapluie au théâtre",
        "plante des tulipes le long du canal",
        "repeint le phare",
        "a trouvé un portefeuille dans le tramway",
        "fait du pain chaque jeudi",
    ),
    places=("sur la place du marché", "derrière la poste", "au café du port", "près du moulin"),
    goods=("fraises", "tuyaux d'arrosage", "manteaux d'hiver", "cartes de randonnée"),
    times=("ce soir", "ce week-end", "vendredi", "après le déjeuner"),
    short=("Merci beaucoup.", "Bonne nuit !", "Oui", "À bientôt.", "Parfait.", "Attendez !"),
    questions=("Avez-vous goûté notre gâteau au citron ?", "Où est passé tout le monde ?"),
    sell="Aujourd'hui nous vendons {items}.",
    and_="et",
    costs="Une boîte de {good} coûte {dollars} euros.",
    call="Pour réserver, appelez le {phone}.",
    percent="Économisez {n} pour cent sur les {good}.",
    year="La boutique existe depuis {year}.",
)

_ES = _Lexis(
    people=(
        "la señora Ruiz",
        "el conductor del autobús",
        "nuestra farmacéutica",
        "un viejo marinero",
        "los gemelos",
        "el becario",
        "el tío Andrés",
        "los voluntarios",
    ),
    actions=(
        "espera delante de la catedral",
        "olvidó el paraguas en el teatro",
        "planta tulipanes junto al canal",
        "pinta de nuevo el faro",
        "encontró una cartera en el tranvía",
        "hornea pan cada jueves",
    ),
    places=("en la plaza del mercado", "detrás de correos", "en el café del puerto"),
    goods=("fresas", "mangueras", "abrigos de invierno", "mapas de senderismo"),
    times=("esta noche", "este fin de semana", "el viernes", "después de comer"),
    short=("Muchas gracias.", "¡Buenas noches!", "Sí", "Hasta pronto.", "Perfecto."),
    questions=("¿Ha probado nuestra tarta de limón?", "¿Dónde está todo el mundo?"),
    sell="Hoy vendemos {items}.",
    and_="y",
    costs="Una caja de {good} cuesta {dollars} euros.",
    call="Para reservar, llame al {phone}.",
    percent="Ahorre un {n} por ciento en {good}.",
    year="La tienda abrió en {year}.",
)

CORPUS_LANGUAGES: dict[str, _Lexis] = {"en": _EN, "de": _DE, "fr": _FR, "es": _ES}
_MONTHS = ("January", "April", "June", "September", "November")


def _phone(rng: random.Random) -> str:
    return f"0{rng.randint(20, 99)} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"


def _text(lexis: _Lexis, rng: random.Random, kind: str) -> str:
    def sentence() -> str:
        subject = rng.choice(lexis.people)
        place = rng.choice(("", " " + rng.choice(lexis.places)))
        return f"{subject[:1].upper()}{subject[1:]} {rng.choice(lexis.actions)}{place}."

    if kind == "short":
        return rng.choice(lexis.short)
    if kind == "sentence":
        return sentence()
    if kind == "paragraph":
        parts = [sentence() for _ in range(rng.randint(3, 5))]
        parts.insert(rng.randrange(len(parts)), rng.choice(lexis.questions))
        return " ".join(parts)
    if kind == "list":
        items = rng.sample(lexis.goods, rng.randint(3, min(5, len(lexis.goods))))
        return lexis.sell.format(items=f"{', '.join(items[:-1])} {lexis.and_} {items[-1]}")
    if kind == "price":
        return lexis.costs.format(
            good=rng.choice(lexis.goods), dollars=rng.randint(2, 250), cents=rng.randint(0, 99)
        )
    if kind == "phone":
        return f"{sentence()} {lexis.call.format(phone=_phone(rng))}"
    if kind == "percent":
        return lexis.percent.format(
            n=rng.choice((5, 10, 15, 20, 25, 40, 50)),
            good=rng.choice(lexis.goods),
            time=rng.choice(lexis.times),
        )
    if kind == "year":
        return lexis.year.format(
            year=rng.randint(1890, 2024), month=rng.choice(_MONTHS), day=rng.randint(1, 28)
        )
    if kind == "question":
        return rng.choice(lexis.questions)
    # A pause written in the markup: prediction must add it exactly.
    pause = rng.choice(("300ms", "500ms", "1s", "1.5s"))
    return f"{sentence()} <as:break time='{pause}'/> {sentence()}"


_KINDS = (
    "short", "short", "sentence", "sentence", "sentence", "paragraph", "paragraph", "list",
    "price", "phone", "percent", "year", "question", "markup",
)  # fmt: skip


def corpus(language: str, count: int, seed: int = 2026) -> list[str]:
    """``count`` distinct texts in ``language`` (one of CORPUS_LANGUAGES)."""
    lexis = CORPUS_LANGUAGES[language]
    rng = random.Random(f"predict-corpus-{language}-{seed}")
    texts: list[str] = []
    attempts = 0
    while len(texts) < count and attempts < count * 50:
        attempts += 1
        text = _text(lexis, rng, rng.choice(_KINDS))
        if text not in texts:
            texts.append(text)
    return texts
