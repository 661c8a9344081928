"""Text normalisation (Voice Intelligence) and SSML say-as readings."""

from __future__ import annotations

import time

import pytest

from castwright.speech.text.normalise import interpret, normalise
from castwright.speech.text.number_words import (
    decade_words,
    num2words_language,
    time_words,
    year_words,
)


def test_audiostack_example_sentence() -> None:
    assert normalise("Our store opens at 9:30 on May 3rd. Prices from $5.99.") == (
        "Our store opens at nine thirty on May third. Prices from five dollars and ninety-nine "
        "cents."
    )


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("I have 3 cats.", "I have three cats."),
        ("1,234.5", "one thousand two hundred and thirty-four point five"),
        ("1,000,000 views", "one million views"),
        ("It is -5 outside", "It is minus five outside"),
        ("a 0.5 chance", "a zero point five chance"),
        ("only .25 left", "only point two five left"),
        ("the 3rd and 21st and 102nd", "the third and twenty-first and one hundred and second"),
        ("007", "zero zero seven"),
        ("ID 1234567890", "ID one two three four five six seven eight nine zero"),
        ("9-5", "nine to five"),
        ("pages 10\u201320", "pages ten to twenty"),
        ("1990-1995", "nineteen ninety to nineteen ninety-five"),
        ("1/2 and 3/4", "one half and three quarters"),
        ("the 1990s and '80s", "the nineteen nineties and eighties"),
        ("No. 5 and #3", "number five and number three"),
    ],
)
def test_numbers(written: str, spoken: str) -> None:
    assert normalise(written) == spoken


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("$5.99", "five dollars and ninety-nine cents"),
        ("$1", "one dollar"),
        ("$0.50", "fifty cents"),
        ("$0.01", "one cent"),
        ("$5.00", "five dollars"),
        ("$1,250", "one thousand two hundred and fifty dollars"),
        ("\u00a33", "three pounds"),
        ("\u00a31.01", "one pound and one penny"),
        ("\u20ac10.50", "ten euros and fifty cents"),
        ("\u00a5500", "five hundred yen"),
        ("$1.5m", "one point five million dollars"),
        ("$2bn", "two billion dollars"),
        ("$5k", "five thousand dollars"),
        ("$3 million", "three million dollars"),
        ("-$5", "minus five dollars"),
        ("5 USD", "five dollars"),
        ("EUR 20", "twenty euros"),
        ("10\u20ac", "ten euros"),
        ("$5.999", "five point nine nine nine dollars"),
    ],
)
def test_currency(written: str, spoken: str) -> None:
    assert normalise(written) == spoken


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("50%", "fifty percent"),
        ("3.5%", "three point five percent"),
        ("-2%", "minus two percent"),
        ("5-10%", "five to ten percent"),
        ("5 km", "five kilometers"),
        ("1 km", "one kilometer"),
        ("2.5kg", "two point five kilograms"),
        ("30 mph", "thirty miles per hour"),
        ("100 km/h", "one hundred kilometers per hour"),
        ("20\u00b0C", "twenty degrees Celsius"),
        ("-5 \u00b0F", "minus five degrees Fahrenheit"),
        ("16GB", "sixteen gigabytes"),
        ("500ms", "five hundred milliseconds"),
        ("6 ft", "six feet"),
    ],
)
def test_percentages_and_units(written: str, spoken: str) -> None:
    assert normalise(written) == spoken


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("9:30", "nine thirty"),
        ("9:05", "nine oh five"),
        ("10:00", "ten o'clock"),
        ("17:00", "seventeen hundred"),
        ("17:45", "seventeen forty-five"),
        ("9:30am", "nine thirty a m"),
        ("9.30 pm", "nine thirty p m"),
        ("9:30 P.M. on", "nine thirty p m on"),
        ("9:30 P.M.", "nine thirty p m."),  # the full stop may end the sentence: kept
        ("9am", "nine a m"),
        ("10 p.m. sharp", "ten p m sharp"),
        ("Meet at 9 p.m. Then leave.", "Meet at nine p m. Then leave."),
        ("9:30:15", "nine thirty and fifteen seconds"),
        ("25:70", "twenty-five:seventy"),  # not a time: the numbers are still read
    ],
)
def test_times(written: str, spoken: str) -> None:
    assert normalise(written) == spoken


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("May 3rd", "May third"),
        ("May 3", "May third"),
        ("Jan. 15, 2024", "January fifteenth, twenty twenty-four"),
        ("Sept 1 2023", "September first, twenty twenty-three"),
        ("3 May 2024", "the third of May, twenty twenty-four"),
        ("on the 3rd of May", "on the third of May"),
        ("2024-05-03", "May third, twenty twenty-four"),
        ("05/03/2024", "May third, twenty twenty-four"),
        ("25/12/2024", "December twenty-fifth, twenty twenty-four"),  # only day-first fits
        ("May 2024", "May twenty twenty-four"),
        ("you may 3 times", "you may three times"),
    ],
)
def test_dates(written: str, spoken: str) -> None:
    assert normalise(written) == spoken


def test_impossible_dates_are_not_read_as_dates() -> None:
    assert "February" not in normalise("2024-02-30")
    assert "thirteenth" not in normalise("13/13/2024")


def test_day_first_regions_read_numeric_dates_day_first() -> None:
    assert normalise("05/03/2024", "en-GB") == "March fifth, twenty twenty-four"
    assert normalise("05/03/2024", "en-US") == "May third, twenty twenty-four"


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("in 1999", "in nineteen ninety-nine"),
        ("2024", "twenty twenty-four"),
        ("since 1905", "since nineteen oh five"),
        ("in 2000", "in two thousand"),
        ("1100", "eleven hundred"),
        ("2,024 people", "two thousand and twenty-four people"),  # a separator: a quantity
        ("3000 people", "three thousand people"),  # outside 1100-2099: a quantity
    ],
)
def test_years(written: str, spoken: str) -> None:
    assert normalise(written) == spoken


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("Dr. Smith", "Doctor Smith"),
        ("Mulholland Dr. is long", "Mulholland Drive is long"),
        ("Mr. Brown and Mrs. Green met Ms. White", "Mister Brown and Missus Green met Miz White"),
        ("Mr Smith", "Mister Smith"),
        ("St. Paul", "Saint Paul"),
        ("I visited St. Paul", "I visited Saint Paul"),
        ("Baker St. is here", "Baker Street is here"),
        (
            "I live on Baker St. St. Paul lives nearby.",
            "I live on Baker Street. Saint Paul lives nearby.",
        ),
        ("5th Ave. at 42nd St.", "fifth Avenue at forty-second Street."),
        ("apples, pears etc. Then", "apples, pears et cetera. Then"),
        ("fruit, e.g. apples", "fruit, for example apples"),
        ("one, i.e. this", "one, that is this"),
        ("cats vs. dogs and cats vs dogs", "cats versus dogs and cats versus dogs"),
        ("approx. 5", "approximately five"),
        ("Acme Inc. is big", "Acme Incorporated is big"),
        ("Say no. 5 times no", "Say number five times no"),
        ("St-Tropez and Dr-Who", "St-Tropez and Dr-Who"),
    ],
)
def test_abbreviations(written: str, spoken: str) -> None:
    assert normalise(written) == spoken


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("555-123-4567", "five five five, one two three, four five six seven"),
        ("(555) 123-4567", "five five five, one two three, four five six seven"),
        ("+1 555 123 4567", "plus one, five five five, one two three, four five six seven"),
        (
            "+44 20 7946 0958",
            "plus four four, two zero, seven nine four six, zero nine five eight",
        ),
        ("020 7946 0958", "zero two zero, seven nine four six, zero nine five eight"),
    ],
)
def test_phone_numbers_are_read_digit_by_digit(written: str, spoken: str) -> None:
    assert normalise(written) == spoken


@pytest.mark.parametrize(
    "written",
    ["MP3", "4K", "3D", "H2O", "v2.0", "A4", "Win10", "x86"],
)
def test_digits_inside_words_are_left_alone(written: str) -> None:
    assert normalise(f"a {written} thing") == f"a {written} thing"


def test_urls_and_emails_are_left_alone() -> None:
    text = "See https://example.com/2024/05 or mail sales2@example.com by 5"
    assert normalise(text) == "See https://example.com/2024/05 or mail sales2@example.com by five"


def test_hyphenated_codes_read_the_number() -> None:
    assert normalise("COVID-19") == "COVID-nineteen"


def test_text_without_anything_to_expand_is_unchanged() -> None:
    text = "Nothing to see here, move along!\nSecond line."
    assert normalise(text) == text


# -- other languages -------------------------------------------------------------------------


def test_other_languages_spell_plain_integers_with_num2words() -> None:
    assert normalise("Ich habe 5 Äpfel", "de-DE") == "Ich habe fünf Äpfel"
    assert normalise("J'ai 21 ans", "fr") == "J'ai vingt et un ans"
    assert normalise("Tenho 2 gatos", "pt-BR") == "Tenho dois gatos"


def test_other_languages_leave_decimals_and_glued_numbers_alone() -> None:
    assert normalise("1,5 Liter und MP3", "de") == "1,5 Liter und MP3"


def test_unsupported_language_is_left_alone() -> None:
    assert normalise("I have 5 cats on 2024-05-03", "xx-YY") == "I have 5 cats on 2024-05-03"


def test_num2words_language_mapping() -> None:
    assert num2words_language("pt-BR") == "pt_BR"
    assert num2words_language("de-AT") == "de"
    assert num2words_language("EN_us") == "en"
    assert num2words_language("klingon") is None


# -- say-as ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "interpret_as", "format", "spoken"),
    [
        ("1234", "cardinal", "", "one thousand two hundred and thirty-four"),
        ("1,234", "cardinal", "", "one thousand two hundred and thirty-four"),
        ("-12.5", "cardinal", "", "minus twelve point five"),
        ("3", "ordinal", "", "third"),
        ("21st", "ordinal", "", "twenty-first"),
        ("ABC", "characters", "", "A B C"),
        ("abc-1", "characters", "", "A B C dash one"),
        ("a@b.com", "characters", "", "A at B dot C O M"),
        ("1234", "digits", "", "one two three four"),
        ("12-34", "digits", "", "one two three four"),
        ("05/03/2024", "date", "mdy", "May third, twenty twenty-four"),
        ("05/03/2024", "date", "dmy", "the fifth of March, twenty twenty-four"),
        ("2024-05-03", "date", "ymd", "May third, twenty twenty-four"),
        ("2024-05-03", "date", "", "May third, twenty twenty-four"),
        ("05/03/24", "date", "mdy", "May third, twenty twenty-four"),
        ("12/25", "date", "md", "December twenty-fifth"),
        ("25/12", "date", "dm", "the twenty-fifth of December"),
        ("05/2024", "date", "my", "May twenty twenty-four"),
        ("1999", "date", "y", "nineteen ninety-nine"),
        ("9:30", "time", "", "nine thirty"),
        ("9:05pm", "time", "hms12", "nine oh five p m"),
        ("0930", "time", "", "nine thirty"),
        ("14h30", "time", "", "fourteen thirty"),
        ("$5.99", "currency", "", "five dollars and ninety-nine cents"),
        ("5.99", "currency", "EUR", "five euros and ninety-nine cents"),
        ("GBP 3", "currency", "", "three pounds"),
        ("$2.5bn", "currency", "", "two point five billion dollars"),
        (
            "+1 (555) 123-4567",
            "telephone",
            "",
            "plus one, five five five, one two three, four five six seven",
        ),
    ],
)
def test_interpret(text: str, interpret_as: str, format: str, spoken: str) -> None:
    assert interpret(text, interpret_as, format) == spoken  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "interpret_as", "spoken"),
    [
        ("twelve", "cardinal", "twelve"),
        ("first", "ordinal", "first"),
        ("May 3rd", "date", "May third"),
        ("noon", "time", "noon"),
        ("5.99", "currency", "five point nine nine"),  # no currency known: read the number
        ("", "digits", ""),
    ],
)
def test_interpret_falls_back_to_normalisation(text: str, interpret_as: str, spoken: str) -> None:
    assert interpret(text, interpret_as) == spoken  # type: ignore[arg-type]


def test_interpret_text_is_normalise() -> None:
    assert interpret("at 9:30", "text") == "at nine thirty"


def test_interpret_in_other_languages() -> None:
    assert interpret("12", "cardinal", language="de") == "zwölf"
    assert interpret("3", "ordinal", language="fr") == "troisième"
    assert interpret("42", "digits", language="es") == "cuatro dos"
    assert interpret("AB", "characters", language="xx") == "A B"
    assert interpret("05/03/2024", "date", language="de") == "fünf/drei/zweitausendvierundzwanzig"


# -- spoken forms ----------------------------------------------------------------------------


def test_spoken_forms() -> None:
    assert year_words(2010) == "twenty ten"
    assert year_words(1905) == "nineteen oh five"
    assert decade_words(1960) == "nineteen sixties"
    assert decade_words(1900) == "nineteen hundreds"
    assert time_words(0, 0) == "zero hundred"
    assert time_words(12, 0, meridiem="p") == "twelve p m"
    assert time_words(13, 0, meridiem="p") is None
    assert time_words(9, 60) is None


@pytest.mark.parametrize(
    "text",
    ["1" * 100000, "." * 100000, "a." * 50000, "St. " * 20000, "etc. " * 20000, "+1 555 " * 10000],
    ids=["digits", "dots", "initials", "saints", "etceteras", "phone-prefixes"],
)
def test_long_hostile_input_is_normalised_quickly(text: str) -> None:
    started = time.perf_counter()
    normalise(text)
    assert time.perf_counter() - started < 5.0
