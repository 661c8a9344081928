"""The tone and mood vocabularies, each label described by a few example lines.

A label is recognised by how close a text's embedding comes to its examples, so the examples
are what defines it: short lines in the register the label names, about varied subjects (so
the subject does not decide the label). They were written for this purpose and are not part
of the evaluation set in tests/content.

The mood names include those the built-in sound templates are tagged with (happy, energetic,
calm, reflective, dramatic, serious, urgent, hopeful, nostalgic, festive), so a recommended
mood can choose music directly; the tones are those personas and adverts speak in.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MOODS", "TONES", "Label", "label_names"]


@dataclass(frozen=True)
class Label:
    name: str
    examples: tuple[str, ...]


TONES: tuple[Label, ...] = (
    Label(
        "friendly",
        (
            "Hi there, great to see you! Come on in and make yourself at home.",
            "Our team is always happy to help, so just give us a shout.",
            "Pop in and say hello, we'd love to meet you.",
            "Thanks for stopping by, neighbour. See you again soon!",
        ),
    ),
    Label(
        "professional",
        (
            "Our consultants deliver reliable, compliant solutions for businesses of every size.",
            "We provide secure services backed by accredited specialists and clear terms.",
            "Contact our office to arrange a meeting with an account manager.",
            "The firm offers audit, advisory and payroll services to corporate clients.",
        ),
    ),
    Label(
        "authoritative",
        (
            "Experts agree: this is the standard against which all others are measured.",
            "Trusted by leading institutions for decades, with a proven record of results.",
            "The evidence is clear, and the decision could not be more important.",
            "Hear the full account, from the people who were there, in their own words.",
        ),
    ),
    Label(
        "conversational",
        (
            "So, you know how mornings can get a bit messy? Yeah, same here.",
            "Okay, honest question: who actually reads the instructions? Not me.",
            "Let's be real for a second, we've all been there.",
            "Anyway, here's the thing I wanted to tell you about.",
        ),
    ),
    Label(
        "energetic",
        (
            "Get ready! It's bigger, louder and faster than ever before!",
            "Let's go! Push harder, move quicker, win bigger!",
            "Turn it up and feel the rush, this is going to be huge!",
            "Power, speed and action from the very first second!",
        ),
    ),
    Label(
        "upbeat",
        (
            "Sunshine, good vibes and great deals, what a day!",
            "Smiles all round, it's going to be a brilliant weekend.",
            "Fresh, fun and full of flavour, life is looking sweet.",
            "Good times are here, so grab your friends and enjoy.",
        ),
    ),
    Label(
        "warm",
        (
            "For three generations our family has made every piece with care, for yours.",
            "Home is where the people you love gather around the table.",
            "Made with love, shared with the ones who matter most.",
            "Some traditions are worth keeping, like a cup of tea with an old friend.",
        ),
    ),
    Label(
        "calm",
        (
            "Take a slow breath. Let the day settle. There is no need to hurry.",
            "Quiet mornings, soft light and a moment just for you.",
            "Relax, unwind and let your thoughts drift gently away.",
            "A peaceful place to rest, far from the noise.",
        ),
    ),
    Label(
        "humorous",
        (
            "Our coffee is so strong it filed its own tax return.",
            "Warning: side effects may include excessive smugness.",
            "Sure, you could fix it yourself. Your neighbours enjoy a good laugh.",
            "We tested it on our interns. They survived, mostly.",
        ),
    ),
    Label(
        "inspirational",
        (
            "Every great journey begins with a single step. Take yours today.",
            "Believe in what you can become, and never stop reaching for it.",
            "Dream bigger, rise higher, and prove what you are capable of.",
            "Your future is waiting. Go out and build it.",
        ),
    ),
    Label(
        "urgent",
        (
            "Hurry, only two days left! The offer ends Sunday at midnight.",
            "Act now, stocks are running out fast and this deal won't come back.",
            "Last chance! Book today before it's too late.",
            "Breaking: residents must leave the area immediately.",
        ),
    ),
    Label(
        "luxurious",
        (
            "Handcrafted from the finest materials, for those who expect nothing less.",
            "Indulge in rare elegance, exquisite detail and timeless refinement.",
            "An exclusive collection of unmatched craftsmanship and prestige.",
            "Savour a private suite with a view reserved for the few.",
        ),
    ),
    Label(
        "informative",
        (
            "The device has a six inch screen, eight gigabytes of memory and a two day battery.",
            "Officials said the figures rose by three percent in the second quarter.",
            "Here are the facts: opening hours, prices and how to book.",
            "The report, published on Tuesday, lists four main findings.",
        ),
    ),
    Label(
        "empathetic",
        (
            "We know how hard this is, and we're here to listen whenever you need.",
            "You don't have to go through it alone. Support is here for you.",
            "It's okay to not be okay. Take your time, we understand.",
            "Our thoughts are with every family affected, and help is on its way.",
        ),
    ),
)

MOODS: tuple[Label, ...] = (
    Label(
        "happy",
        (
            "What a wonderful, joyful day full of laughter and smiles.",
            "Everyone is cheering, dancing and having the best time ever.",
            "Good news makes everything brighter and lighter.",
            "A cheerful, sunny story with a happy ending.",
        ),
    ),
    Label(
        "energetic",
        (
            "Fast, loud and full of adrenaline, the action never stops.",
            "Racing hearts, pounding beats and a burst of power.",
            "The crowd roars as the game speeds toward the finish.",
            "Pumped up, fired up, ready to go!",
        ),
    ),
    Label(
        "calm",
        (
            "Still water, soft light and a gentle, quiet afternoon.",
            "Everything is peaceful, steady and unhurried.",
            "A soothing, relaxed moment of rest.",
            "Clear skies and mild weather, nothing to disturb the day.",
        ),
    ),
    Label(
        "reflective",
        (
            "Looking back, we ask what it all meant and what we have learned.",
            "A thoughtful moment to consider life, meaning and purpose.",
            "Quiet contemplation of the questions that stay with us.",
            "Sometimes the past teaches us who we want to become.",
        ),
    ),
    Label(
        "dramatic",
        (
            "Against all odds, with everything at stake, the hero rises for one last fight.",
            "A thunderous, epic showdown that changes history forever.",
            "The tension builds to a stunning, powerful climax.",
            "In one breathtaking moment, everything turned.",
        ),
    ),
    Label(
        "serious",
        (
            "This is a grave matter with consequences for many people.",
            "Officials warned that the situation remains difficult and the risks are real.",
            "A sober look at the problem and what must be done about it.",
            "The decision raises serious concerns about safety and cost.",
        ),
    ),
    Label(
        "urgent",
        (
            "Emergency! Leave now, there is no time to lose.",
            "Breaking news: a warning has been issued and crews are rushing to the scene.",
            "Time is running out, act immediately.",
            "Alert: the danger is spreading fast.",
        ),
    ),
    Label(
        "melancholic",
        (
            "A sad story of loss, grief and the people left behind.",
            "Tears, mourning and an empty chair at the table.",
            "Heartbroken and lonely, she remembered what was gone forever.",
            "A sorrowful farewell to someone deeply missed.",
        ),
    ),
    Label(
        "hopeful",
        (
            "Brighter days are ahead, and a better future is within reach.",
            "Even after hardship there is hope, healing and a new beginning.",
            "Progress is possible, and things are finally getting better.",
            "A promising step toward a cure and a second chance.",
        ),
    ),
    Label(
        "nostalgic",
        (
            "Remember the old days, grandma's kitchen and summers long ago?",
            "Memories of childhood, vintage photographs and the way things used to be.",
            "A trip back in time to the songs and flavours of our youth.",
            "Old letters in the attic bring the past back to life.",
        ),
    ),
    Label(
        "romantic",
        (
            "A candlelit evening for two, love in every glance.",
            "Falling in love under the stars, hand in hand.",
            "A gift for your sweetheart, to celebrate your love.",
            "Passion, tenderness and a kiss to remember.",
        ),
    ),
    Label(
        "mysterious",
        (
            "In the dark, something waits, and no one knows what it is.",
            "A strange disappearance, a locked room and a secret never told.",
            "Shadows, whispers and an unexplained signal in the night.",
            "The case was never solved. The truth is still out there.",
        ),
    ),
    Label(
        "festive",
        (
            "Deck the halls, the holidays are here with lights and celebrations!",
            "Balloons, cake and confetti for the biggest party of the year.",
            "Cheers and fireworks as everyone celebrates together.",
            "Christmas markets, gifts and seasonal cheer for the whole family.",
        ),
    ),
    Label(
        "playful",
        (
            "A silly, cheeky little game full of jokes and giggles.",
            "Quirky, goofy and just a bit ridiculous, in the best way.",
            "Mischief, puns and tongue-in-cheek fun.",
            "Who knew laundry could be this much of a laugh?",
        ),
    ),
)


def label_names(labels: tuple[Label, ...]) -> list[str]:
    return [label.name for label in labels]
