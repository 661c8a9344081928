"""The built-in advert writer's phrase pools, by style and by who is speaking.

A style groups tones that write alike. Templates take {name} (the product) and mood words
({feel}: an adjective, {more}: a comparative). Every template is one sentence, so edits can
swap sentences one for one. Sentences that name a speaker come in pairs,
(third person, first person): the narrator talks about the product, or the brand talks as "we".
"""

from __future__ import annotations

__all__ = [
    "MOOD_WORDS",
    "OPENERS",
    "OUTCOMES",
    "PROOF_COUNTS",
    "PROOF_PEOPLE",
    "PROOF_VERBS",
    "STYLES",
    "STYLE_OF_TONE",
    "Pair",
    "StylePhrases",
]

from dataclasses import dataclass

Pair = tuple[str, str]  # (third person, first person)

STYLE_OF_TONE = {
    "energetic": "bold",
    "upbeat": "bold",
    "urgent": "bold",
    "friendly": "casual",
    "conversational": "casual",
    "humorous": "casual",
    "professional": "formal",
    "authoritative": "formal",
    "informative": "formal",
    "warm": "gentle",
    "empathetic": "gentle",
    "calm": "gentle",
    "luxurious": "aspirational",
    "inspirational": "aspirational",
}

# mood -> (adjective, comparative)
MOOD_WORDS = {
    "happy": ("joyful", "brighter"),
    "energetic": ("electric", "livelier"),
    "calm": ("peaceful", "calmer"),
    "reflective": ("thoughtful", "clearer"),
    "dramatic": ("unforgettable", "bolder"),
    "serious": ("dependable", "safer"),
    "urgent": ("essential", "quicker"),
    "melancholic": ("tender", "gentler"),
    "hopeful": ("hopeful", "better"),
    "nostalgic": ("timeless", "warmer"),
    "romantic": ("romantic", "sweeter"),
    "mysterious": ("intriguing", "richer"),
    "festive": ("festive", "merrier"),
    "playful": ("playful", "funnier"),
}


@dataclass(frozen=True)
class StylePhrases:
    hooks: tuple[str, ...]  # open the intro
    introductions: tuple[Pair, ...]  # bring the product in, before its description
    benefits: tuple[Pair, ...]  # what it does for the listener
    proofs: tuple[Pair, ...]  # why to believe it
    fillers: tuple[str, ...]  # short lines that fine-tune the length
    calls: tuple[str, ...]  # the call to action
    closers: tuple[Pair, ...]  # sign-off after the call to action


STYLES: dict[str, StylePhrases] = {
    "bold": StylePhrases(
        hooks=(
            "Ready for something {feel}?",
            "Stop scrolling, start living!",
            "Big news, and it's {feel}!",
            "Turn it up, this one's {feel}!",
            "Here it comes, and it changes everything!",
            "You think you've seen it all, but think again!",
            "Your day just got {more}!",
            "Get set, because this is big!",
        ),
        introductions=(
            ("Say hello to {name}!", "We're proud to bring you {name}!"),
            ("Meet {name}!", "We made {name} for you!"),
            ("It's here: {name}!", "We've just launched {name}!"),
            ("This is {name}!", "Here's what we've been building: {name}!"),
        ),
        benefits=(
            ("{name} makes every day {more}.", "We built {name} to make every day {more}."),
            (
                "With {name}, you do more and wait less.",
                "With {name}, we help you do more and wait less.",
            ),
            (
                "{name} brings the energy, you bring the plans.",
                "We bring the energy, you bring the plans.",
            ),
            (
                "Everything you love, only {more}, with {name}.",
                "We took everything you love and made it {more}.",
            ),
            (
                "{name} keeps up with you, all day long.",
                "We made sure {name} keeps up with you, all day long.",
            ),
            (
                "Faster, smarter and seriously {feel}: that's {name}.",
                "Faster, smarter and seriously {feel}: that's what we made.",
            ),
        ),
        proofs=(
            (
                "People can't stop talking about {name}.",
                "Our customers can't stop talking about {name}.",
            ),
            (
                "Thousands have already made the switch to {name}.",
                "Thousands have already switched to {name}, and we love hearing why.",
            ),
            (
                "{name} is the one everyone's asking for.",
                "{name} is the one everyone's asking us for.",
            ),
            (
                "Once you try {name}, there's no going back.",
                "Try {name} once and you'll see why we're so excited.",
            ),
        ),
        fillers=("Yes, really!", "No kidding!", "It's that good!", "Let's go!", "Don't wait!"),
        calls=(
            "Get {name} today!",
            "Grab {name} now, before everyone else does!",
            "Go get {name} today and feel the difference!",
            "Don't miss out: get {name} now!",
            "Find {name} online or in store today!",
        ),
        closers=(
            ("{name}: life, turned up.", "{name}: from all of us, with energy."),
            ("{name}: go for it.", "We're {name}, so let's go."),
            ("{name}: why settle for less?", "{name}: we never settle, and neither should you."),
        ),
    ),
    "casual": StylePhrases(
        hooks=(
            "So, here's a thing.",
            "Okay, quick question.",
            "You know that feeling when everything just works?",
            "Let's be honest for a second.",
            "Ever wish life came with a shortcut?",
            "Here's a little secret.",
            "Raise your hand if you could use a {more} day.",
            "Picture this.",
        ),
        introductions=(
            ("That's where {name} comes in.", "That's why we made {name}."),
            ("Meet {name}.", "Hi, we're {name}."),
            ("Let us introduce {name}.", "Let us introduce ourselves: we're {name}."),
            ("Say hi to {name}.", "We'd love you to meet {name}."),
        ),
        benefits=(
            ("{name} just makes things easier, no fuss.", "We just make things easier, no fuss."),
            (
                "It's the little things, and {name} gets them right.",
                "It's the little things, and we sweat every one of them.",
            ),
            (
                "{name} fits right into your day, like it was always there.",
                "We made {name} to fit right into your day.",
            ),
            (
                "Honestly, {name} is the friend you didn't know you needed.",
                "Honestly, we want to be the friend you didn't know you needed.",
            ),
            (
                "With {name}, your day feels a little {more}.",
                "With {name}, we hope your day feels a little {more}.",
            ),
            (
                "No jargon, no hassle, just {name} doing its thing.",
                "No jargon, no hassle, just us doing our thing.",
            ),
        ),
        proofs=(
            (
                "Your friends are probably using {name} already.",
                "Chances are your friends already know us.",
            ),
            (
                "People say {name} made their week, and we believe them.",
                "People tell us {name} made their week, and that makes ours.",
            ),
            (
                "Once you try {name}, you'll wonder how you managed without it.",
                "Try us once and you'll wonder how you managed without us.",
            ),
            (
                "Don't just take our word for it: ask around about {name}.",
                "Don't just take our word for it: ask around.",
            ),
        ),
        fillers=("Simple as that.", "Yep.", "Easy.", "No catch.", "Told you."),
        calls=(
            "Give {name} a try today.",
            "Check out {name} online, it takes a minute.",
            "Find {name} near you and see for yourself.",
            "Try {name} this week, you'll be glad you did.",
            "Go on, look up {name} today.",
        ),
        closers=(
            ("{name}: life, made easy.", "{name}: we've got you."),
            ("{name}: you'll see.", "That's us, {name}, and we'll see you soon."),
            ("{name}: why not?", "{name}: come say hi."),
        ),
    ),
    "formal": StylePhrases(
        hooks=(
            "Quality deserves attention.",
            "Some decisions matter more than others.",
            "Here is a considered choice.",
            "When reliability matters, details count.",
            "Consider the difference.",
            "Good choices begin with good information.",
            "Every detail has a purpose.",
            "Introducing a dependable choice.",
        ),
        introductions=(
            ("Introducing {name}.", "We are pleased to introduce {name}."),
            ("This is {name}.", "At {name}, we set a high standard."),
            ("Consider {name}.", "We designed {name} with care."),
            ("Presenting {name}.", "We present {name}."),
        ),
        benefits=(
            (
                "{name} is designed to perform, day after day.",
                "We designed {name} to perform, day after day.",
            ),
            (
                "{name} combines careful thought with practical value.",
                "We combine careful thought with practical value.",
            ),
            (
                "Every part of {name} is held to a {feel} standard.",
                "We hold every part of {name} to a {feel} standard.",
            ),
            (
                "{name} delivers consistent results you can rely on.",
                "We deliver consistent results you can rely on.",
            ),
            (
                "With {name}, the outcome is {more} and more predictable.",
                "With {name}, we make the outcome {more} and more predictable.",
            ),
            (
                "{name} saves time without cutting corners.",
                "We save you time without cutting corners.",
            ),
        ),
        proofs=(
            (
                "Professionals choose {name} for its proven record.",
                "Professionals choose us for our proven record.",
            ),
            ("{name} is backed by a clear guarantee.", "We back {name} with a clear guarantee."),
            (
                "Independent reviewers rate {name} highly.",
                "Independent reviewers rate our work highly.",
            ),
            (
                "{name} is trusted by customers across the country.",
                "Customers across the country trust us.",
            ),
        ),
        fillers=(
            "Terms apply.",
            "It is that simple.",
            "The choice is clear.",
            "Details are available online.",
        ),
        calls=(
            "Learn more about {name} today.",
            "Visit the {name} website for full details.",
            "Contact {name} today to find out more.",
            "Ask for {name} by name.",
            "Find out more about {name} online.",
        ),
        closers=(
            ("{name}: built to last.", "{name}: our standard, your advantage."),
            ("{name}: a sound decision.", "{name}: we stand behind it."),
            ("{name}: quality you can measure.", "{name}: measured by results."),
        ),
    ),
    "gentle": StylePhrases(
        hooks=(
            "Take a moment, just for you.",
            "Some things are worth slowing down for.",
            "Breathe in, and let the day soften.",
            "Home is a feeling.",
            "The best moments are often the quiet ones.",
            "Everyone deserves a little care.",
            "Let's make today a little {more}.",
            "Close your eyes and imagine a {feel} day.",
        ),
        introductions=(
            ("That's the idea behind {name}.", "That's why we created {name}."),
            ("Meet {name}.", "We'd like you to meet {name}."),
            ("Discover {name}.", "We made {name} with you in mind."),
            ("This is {name}.", "Welcome to {name}."),
        ),
        benefits=(
            (
                "{name} is there when you need it, quietly doing its part.",
                "We're there when you need us, quietly doing our part.",
            ),
            (
                "With {name}, every day feels a little {more}.",
                "With {name}, we hope every day feels a little {more}.",
            ),
            (
                "{name} was made with care, for the people you love.",
                "We made {name} with care, for the people you love.",
            ),
            (
                "{name} brings a {feel} touch to the everyday.",
                "We bring a {feel} touch to the everyday.",
            ),
            (
                "Small comforts make a big difference, and {name} knows it.",
                "Small comforts make a big difference, and we never forget it.",
            ),
            (
                "{name} lets you focus on what matters most.",
                "We want you to focus on what matters most.",
            ),
        ),
        proofs=(
            ("Families have trusted {name} for years.", "Families have trusted us for years."),
            (
                "People who try {name} tend to stay.",
                "People who find us tend to stay, and we're grateful.",
            ),
            (
                "{name} is recommended by the people who know it best.",
                "We're recommended by the people who know us best.",
            ),
            (
                "There's a reason {name} feels familiar from the very first day.",
                "We hope {name} feels familiar from the very first day.",
            ),
        ),
        fillers=("Take your time.", "Gently does it.", "You deserve it.", "That's all."),
        calls=(
            "Discover {name} today.",
            "Find {name} near you, whenever you're ready.",
            "Visit {name} and see how it feels.",
            "Bring {name} home today.",
            "Look for {name} online or in store.",
        ),
        closers=(
            ("{name}: made with care.", "{name}: with love, from all of us."),
            ("{name}: here for you.", "{name}: we're here for you."),
            ("{name}: feel the difference.", "{name}: thank you for listening."),
        ),
    ),
    "aspirational": StylePhrases(
        hooks=(
            "Some things are made to be remembered.",
            "Imagine what could be.",
            "Excellence is never an accident.",
            "For those who expect more.",
            "Greatness begins with a single choice.",
            "Rise above the ordinary.",
            "Every detail considered, every moment {feel}.",
            "There is ordinary, and there is extraordinary.",
        ),
        introductions=(
            ("Discover {name}.", "We present {name}."),
            ("This is {name}.", "We created {name} for those who expect more."),
            ("Introducing {name}.", "With pride, we introduce {name}."),
            ("Experience {name}.", "Experience what we have crafted: {name}."),
        ),
        benefits=(
            (
                "{name} turns the everyday into something {feel}.",
                "We turn the everyday into something {feel}.",
            ),
            (
                "{name} is crafted for people who aim higher.",
                "We craft {name} for people who aim higher.",
            ),
            (
                "With {name}, every moment feels {more}.",
                "With {name}, we make every moment feel {more}.",
            ),
            (
                "{name} is where ambition meets artistry.",
                "We bring ambition and artistry together in {name}.",
            ),
            ("{name} rewards those who choose with care.", "We reward those who choose with care."),
            (
                "Refined, assured and quietly {feel}: that is {name}.",
                "Refined, assured and quietly {feel}: that is our promise.",
            ),
        ),
        proofs=(
            ("Those who know, choose {name}.", "Those who know, choose us."),
            (
                "{name} has earned its reputation, one detail at a time.",
                "We have earned our reputation, one detail at a time.",
            ),
            (
                "{name} is admired by those who accept nothing less.",
                "We are proud to serve those who accept nothing less.",
            ),
            (
                "A legacy of excellence stands behind {name}.",
                "A legacy of excellence stands behind everything we make.",
            ),
        ),
        fillers=("Naturally.", "Nothing less.", "Without compromise.", "Simply exceptional."),
        calls=(
            "Discover {name} today.",
            "Experience {name} for yourself.",
            "Begin your journey with {name} today.",
            "Reserve your {name} experience now.",
            "Visit {name} and see what is possible.",
        ),
        closers=(
            ("{name}: beyond expectation.", "{name}: our finest work, for you."),
            ("{name}: aim higher.", "{name}: made for the extraordinary."),
            ("{name}: because you deserve the exceptional.", "{name}: crafted without compromise."),
        ),
    ),
}

# Shared parts, combined into many different sentences: opener + outcome for benefits,
# count + people + verb for proofs. They keep five adverts in one style from sharing lines.
OPENERS = (
    "With {name},",
    "Thanks to {name},",
    "Every day with {name},",
    "Once you have {name},",
    "From the very first day with {name},",
    "Choose {name}, and",
    "Add {name} to your day, and",
)
OUTCOMES = (
    "your mornings feel {more}",
    "the small things take care of themselves",
    "you get more done with less effort",
    "there is more time for the people you love",
    "every day starts a little {more}",
    "you can stop worrying and start enjoying",
    "the hard part is already done",
    "good days become the usual",
    "you get that {feel} feeling you were looking for",
    "it all just works, the way it should",
    "even a long week feels {more}",
    "you have one less thing to think about",
)
PROOF_COUNTS = ("Thousands of", "Hundreds of", "More and more", "So many")
PROOF_PEOPLE = ("families", "customers", "people like you", "busy people", "first-timers", "locals")
PROOF_VERBS = (
    "already rely on {name}",
    "swear by {name}",
    "have made {name} part of their day",
    "recommend {name} to their friends",
    "keep coming back to {name}",
    "tell us {name} made the difference",
)
