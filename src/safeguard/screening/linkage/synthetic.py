"""A police-like synthetic population for measuring identity linkage (no real persons).

Each synthetic human ("identity") is recorded several times, once per report, and each record
is written down a little differently, as police records are: typing errors, nicknames (Bill for
William), initials, first and last names swapped, double-barrelled and changed surnames, day and
month of birth swapped, birth year off by one, missing dates of birth or only the year
(written as 1 January), changed or missing
postcodes, upper case, missing sex. Hard negatives are built in: different people who share a
common name, a father and son with the same name at one address, twins (same surname, birthday
and address), siblings at one address.

Surnames follow a Zipf-like curve over a list of common British surnames (30% of people), with
a long tail of rarer ones (70%), so that term frequencies matter ("John Smith" is weak evidence; "Ezekiel Thorncroft"
strong). The truth is in `true_id`. Deterministic for a given seed.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# fmt: off
MALE = (
    "James", "John", "David", "Michael", "Daniel", "Thomas", "Christopher", "Matthew", "Andrew",
    "Paul", "Mark", "Richard", "Robert", "William", "Steven", "Jack", "Joseph", "Ryan", "Adam",
    "Lee", "Benjamin", "Samuel", "Luke", "Jamie", "Liam", "Craig", "Anthony", "Peter", "Stephen",
    "Simon", "Jonathan", "Nicholas", "Alexander", "Gary", "Kevin", "Ian", "Martin", "Jason",
    "Dean", "Wayne", "Carl", "Shaun", "Darren", "Scott", "Aaron", "Callum", "Connor", "Kieran",
    "Harry", "George", "Oliver", "Charlie", "Alfie", "Joshua", "Nathan", "Edward", "Charles",
    "Henry", "Kenneth", "Ronald", "Timothy", "Patrick", "Gregory", "Lawrence", "Philip", "Graham",
    "Neil", "Keith", "Trevor", "Barry", "Terence", "Stuart", "Russell", "Marcus", "Reece", "Tyler",
    "Jordan", "Bradley", "Kyle", "Piotr", "Tomasz", "Krzysztof", "Marcin", "Jonas", "Mohammed",
    "Ali", "Omar", "Hassan", "Arjun", "Rajesh", "Kwame", "Tunde", "Declan", "Sean", "Rhys",
)
FEMALE = (
    "Sarah", "Emma", "Laura", "Rebecca", "Claire", "Nicola", "Lisa", "Gemma", "Amy", "Hannah",
    "Charlotte", "Emily", "Jessica", "Sophie", "Lauren", "Katie", "Rachel", "Jennifer", "Victoria",
    "Elizabeth", "Samantha", "Kelly", "Joanne", "Michelle", "Helen", "Louise", "Stephanie",
    "Natalie", "Amanda", "Deborah", "Susan", "Karen", "Julie", "Tracey", "Donna", "Dawn",
    "Jacqueline", "Christine", "Margaret", "Patricia", "Catherine", "Katherine", "Abigail",
    "Eleanor", "Natasha", "Chloe", "Megan", "Olivia", "Grace", "Holly", "Jade", "Zoe", "Kirsty",
    "Danielle", "Leanne", "Kimberley", "Alexandra", "Lucy", "Ellie", "Amelia", "Isabelle", "Molly",
    "Ruby", "Paige", "Shannon", "Bethany", "Jodie", "Hayley", "Carly", "Stacey", "Fiona", "Alison",
    "Jane", "Agnieszka", "Katarzyna", "Marta", "Joanna", "Fatima", "Aisha", "Priya", "Aoife",
    "Siobhan", "Niamh", "Ffion", "Bronwen", "Ama", "Adaeze",
)
SURNAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
    "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner",
    "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker",
    "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker",
    "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson",
    "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall",
    "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster", "Chapman",
    "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell", "Matthews",
    "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell",
    "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Graham", "Pearson",
    "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart", "Elliott",
    "Reynolds", "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West", "Lawrence",
    "Cole", "Atkinson", "Bradley", "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien",
    "Watts", "Rose", "Booth", "Perry", "Ryan", "Grant", "Wells", "Armstrong", "Francis", "Rees",
    "Hayes", "Hart", "Hudson", "Newman", "Barrett", "Kennedy", "Robertson", "Lucas", "Hamilton",
    "Nowak", "Kowalski", "Wisniewski", "Kazlauskas", "Silva", "Santos", "Ferreira", "Okafor",
    "Mensah", "MacDonald", "McLaughlin", "O'Neill", "Fitzgerald", "Llewellyn", "Pritchard",
)
SYLLABLES_A = (
    "Ash", "Black", "Brad", "Brom", "Cald", "Carr", "Chad", "Crom", "Dal", "Dun", "Elm", "Fair",
    "Fern", "Gold", "Green", "Hal", "Hart", "Hay", "Holl", "Kirk", "Lang", "Ley", "Lind", "Mar",
    "Mid", "Mor", "Nor", "Oak", "Pen", "Rad", "Red", "Ross", "Rush", "Sal", "Shel", "Stan",
    "Stock", "Thorn", "Tre", "Wal", "Wes", "Whit", "Win", "Wood", "Yar", "Bram", "Cran", "Hol",
)
SYLLABLES_B = (
    "by", "croft", "dale", "den", "field", "ford", "gate", "ham", "hurst", "ington", "ley",
    "more", "stone", "thorpe", "ton", "well", "wick", "worth", "bury", "combe", "hill", "land",
    "lock", "man", "mere", "ridge", "shaw", "wood", "cott", "berg", "idge", "win",
)
NICKNAMES = {
    "William": ("Bill", "Will", "Billy"), "Robert": ("Bob", "Rob", "Robbie"),
    "Richard": ("Rich", "Rick", "Dick"), "James": ("Jim", "Jimmy"), "John": ("Johnny", "Jon"),
    "Thomas": ("Tom", "Tommy"), "Michael": ("Mike", "Mick"), "Christopher": ("Chris",),
    "Anthony": ("Tony",), "Daniel": ("Dan", "Danny"), "Matthew": ("Matt",),
    "Andrew": ("Andy", "Drew"), "David": ("Dave",), "Joseph": ("Joe",), "Samuel": ("Sam",),
    "Benjamin": ("Ben",), "Nicholas": ("Nick",), "Alexander": ("Alex",), "Edward": ("Ed", "Eddie"),
    "Charles": ("Charlie",), "Kenneth": ("Ken",), "Ronald": ("Ron",), "Timothy": ("Tim",),
    "Patrick": ("Pat", "Paddy"), "Philip": ("Phil",), "Stephen": ("Steve",), "Steven": ("Steve",),
    "Terence": ("Terry",), "Jonathan": ("Jon",), "Joshua": ("Josh",), "Gregory": ("Greg",),
    "Elizabeth": ("Liz", "Beth", "Lizzie"), "Rebecca": ("Becky", "Becca"), "Jessica": ("Jess",),
    "Samantha": ("Sam",), "Katherine": ("Kate", "Katie"), "Catherine": ("Cathy", "Kate"),
    "Victoria": ("Vicky",), "Deborah": ("Debbie",), "Susan": ("Sue",), "Margaret": ("Maggie",),
    "Patricia": ("Pat", "Trish"), "Jacqueline": ("Jackie",), "Jennifer": ("Jenny", "Jen"),
    "Natasha": ("Tasha",), "Abigail": ("Abbie",), "Eleanor": ("Ellie",), "Alexandra": ("Alex",),
    "Stephanie": ("Steph",), "Kimberley": ("Kim",), "Nicola": ("Nicky",), "Amanda": ("Mandy",),
    "Piotr": ("Piotrek",), "Tomasz": ("Tomek",), "Katarzyna": ("Kasia",),
}  # fmt: skip
# fmt: on
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters used in the inward part of UK postcodes
KEYBOARD = {
    "a": "qsz", "b": "vgn", "c": "xvd", "d": "sfe", "e": "wrd", "f": "dgr", "g": "fht",
    "h": "gjy", "i": "uok", "j": "hku", "k": "jli", "l": "kop", "m": "nk", "n": "bmh",
    "o": "ipl", "p": "ol", "q": "wa", "r": "etf", "s": "adw", "t": "ryg", "u": "yij",
    "v": "cbf", "w": "qes", "x": "zcs", "y": "tuh", "z": "xa",
}  # fmt: skip


@dataclass
class Identity:
    id: int
    sex: str
    given: str
    middle: str
    surname: str
    dob: dt.date
    postcodes: list[str]
    previous_surname: str = ""


@dataclass(frozen=True)
class Rates:
    """How often each kind of error or variation appears in a record."""

    nickname: float = 0.12
    given_missing: float = 0.01
    initial: float = 0.03
    given_typo: float = 0.07
    middle_included: float = 0.03
    surname_typo: float = 0.07
    swap_names: float = 0.03
    one_part_of_double_barrelled: float = 0.35
    previous_surname: float = 0.35
    upper_case: float = 0.3
    dob_missing: float = 0.12
    dob_day_month_swapped: float = 0.04
    dob_year_off_by_one: float = 0.03
    dob_digit_typo: float = 0.02
    dob_placeholder: float = 0.02  # only the year known: written as 1 January
    postcode_missing: float = 0.2
    postcode_typo: float = 0.03
    sex_missing: float = 0.15


class PoliceLikeGenerator:
    """Generates `n_records` records of about n_records / 2.3 identities, with hard negatives."""

    def __init__(self, seed: int = 1, rates: Rates | None = None) -> None:
        self.rng = random.Random(seed)
        self.rates = rates or Rates()
        # Shares like England and Wales's: Smith about 1.5% of people, the commonest given names
        # 5 to 6% of their sex; most people have one of the rarer surnames of the long tail.
        self._surname_weights = [1 / (i + 1) ** 0.5 for i in range(len(SURNAMES))]
        self._male_weights = [1 / (i + 1) ** 0.5 for i in range(len(MALE))]
        self._female_weights = [1 / (i + 1) ** 0.5 for i in range(len(FEMALE))]
        self._next_id = 0

    # --- identities --------------------------------------------------------------------------

    def _surname(self) -> str:
        rng = self.rng
        if rng.random() < 0.3:
            return rng.choices(SURNAMES, self._surname_weights)[0]
        # The long tail: rarer surnames, some of them double-barrelled.
        name = rng.choice(SYLLABLES_A) + rng.choice(SYLLABLES_B)
        if rng.random() < 0.3:
            name = name + rng.choice(SYLLABLES_B)
        return name

    def _given(self, sex: str) -> str:
        if sex == "M":
            return self.rng.choices(MALE, self._male_weights)[0]
        return self.rng.choices(FEMALE, self._female_weights)[0]

    def _postcode(self, near: str | None = None) -> str:
        rng = self.rng
        if near and rng.random() < 0.5:
            district = near.split(" ")[0]
        else:
            district = f"{rng.choice(('NR', 'IP', 'PE', 'CB'))}{rng.randint(1, 35)}"
        return f"{district} {rng.randint(0, 9)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}"

    def _dob(self) -> dt.date:
        start = dt.date(1940, 1, 1).toordinal()
        return dt.date.fromordinal(start + self.rng.randrange(365 * 66))

    def _identity(self, **fixed: object) -> Identity:
        self._next_id += 1
        rng = self.rng
        sex = str(fixed.pop("sex", rng.choice("MF")))
        surname = str(fixed.pop("surname", "")) or self._surname()
        if "surname" not in fixed and rng.random() < 0.04:
            surname = f"{surname}-{self._surname()}"
        postcodes = list(fixed.pop("postcodes", [])) or [self._postcode()]  # type: ignore[call-overload]
        if rng.random() < 0.25:
            postcodes.append(self._postcode(near=postcodes[0]))
        ident = Identity(
            id=self._next_id,
            sex=sex,
            given=str(fixed.pop("given", "")) or self._given(sex),
            middle=self._given(sex) if rng.random() < 0.4 else "",
            surname=surname,
            dob=fixed.pop("dob", None) or self._dob(),  # type: ignore[arg-type]
            postcodes=postcodes,
        )
        if sex == "F" and rng.random() < 0.08:
            ident.previous_surname = self._surname()
        return ident

    def identities(self, n: int) -> list[Identity]:
        """`n` identities, about 8% of them hard negatives of another."""
        rng = self.rng
        people: list[Identity] = []
        while len(people) < n:
            base = self._identity()
            people.append(base)
            roll = rng.random()
            if roll < 0.02:  # father and son: same name, same address
                son_dob = base.dob + dt.timedelta(days=rng.randint(20 * 365, 38 * 365))
                if son_dob.year < 2010:
                    base.sex = "M"
                    base.given = self._given("M")
                    people.append(
                        self._identity(
                            sex="M",
                            given=base.given,
                            surname=base.surname,
                            dob=son_dob,
                            postcodes=[base.postcodes[0]],
                        )
                    )
            elif roll < 0.03:  # twins: same surname, birthday and address
                people.append(
                    self._identity(surname=base.surname, dob=base.dob, postcodes=base.postcodes[:1])
                )
            elif roll < 0.06:  # a namesake elsewhere
                people.append(self._identity(sex=base.sex, given=base.given, surname=base.surname))
            elif roll < 0.08:  # a sibling at the same address
                people.append(self._identity(surname=base.surname, postcodes=base.postcodes[:1]))
        return people[:n]

    # --- records -----------------------------------------------------------------------------

    def _typo(self, word: str) -> str:
        rng = self.rng
        if len(word) < 3:
            return word
        i = rng.randrange(1, len(word))
        kind = rng.random()
        if kind < 0.3:  # substitution by a neighbouring key
            ch = word[i].lower()
            sub = rng.choice(KEYBOARD.get(ch, "e"))
            return word[:i] + (sub.upper() if word[i].isupper() else sub) + word[i + 1 :]
        if kind < 0.55:  # deletion
            return word[:i] + word[i + 1 :]
        if kind < 0.8 and i < len(word) - 1:  # transposition
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        return word[:i] + word[i] + word[i:]  # doubled letter

    def record(self, ident: Identity, visit: int) -> dict[str, str]:
        r, rng = self.rates, self.rng
        given = ident.given
        if given in NICKNAMES and rng.random() < r.nickname:
            given = rng.choice(NICKNAMES[given])
        roll = rng.random()
        if roll < r.initial:
            given = given[0]
        elif roll < r.initial + r.given_typo:
            given = self._typo(given)
        if ident.middle and rng.random() < r.middle_included:
            given = f"{given} {ident.middle}"
        if rng.random() < r.given_missing:
            given = ""
        surname = ident.surname
        if "-" in surname and rng.random() < r.one_part_of_double_barrelled:
            parts = surname.split("-")
            surname = rng.choice([parts[0], parts[-1], " ".join(parts)])
        if ident.previous_surname and rng.random() < r.previous_surname:
            surname = ident.previous_surname
        if rng.random() < r.surname_typo:
            surname = self._typo(surname)
        if rng.random() < r.swap_names:
            given, surname = surname, given
        if rng.random() < r.upper_case:
            given, surname = given.upper(), surname.upper()

        dob: str = ""
        if rng.random() >= r.dob_missing:
            d = ident.dob
            roll = rng.random()
            if roll < r.dob_day_month_swapped and d.day <= 12:
                d = dt.date(d.year, d.day, d.month)
            elif roll < r.dob_day_month_swapped + r.dob_year_off_by_one:
                year = d.year + rng.choice((-1, 1))
                d = d.replace(year=year, day=min(d.day, 28))
            dob = d.isoformat()
            if rng.random() < r.dob_placeholder:
                dob = f"{d.year:04d}-01-01"
            elif roll > 1 - r.dob_digit_typo:
                i = rng.choice((3, 6, 9))
                dob = dob[:i] + str(rng.randint(0, 9)) + dob[i + 1 :]
                try:
                    dt.date.fromisoformat(dob)
                except ValueError:
                    dob = d.isoformat()

        postcode = ""
        if rng.random() >= r.postcode_missing:
            # Later records give the newer address more often.
            postcode = ident.postcodes[min(visit // 2, len(ident.postcodes) - 1)]
            if len(ident.postcodes) > 1 and rng.random() < 0.3:
                postcode = rng.choice(ident.postcodes)
            if rng.random() < r.postcode_typo:
                i = rng.randrange(len(postcode))
                if postcode[i].isdigit():
                    postcode = postcode[:i] + str(rng.randint(0, 9)) + postcode[i + 1 :]
            if rng.random() < 0.15:
                postcode = postcode.replace(" ", "")
            if rng.random() < 0.1:
                postcode = postcode.lower()
        sex = "" if rng.random() < r.sex_missing else ident.sex
        return {
            "given_name": given,
            "surname": surname,
            "date_of_birth": dob,
            "postcode": postcode,
            "sex": sex,
            "true_id": str(ident.id),
        }

    def records_per_identity(self) -> int:
        """Most people appear once; repeat suspects and victims appear many times."""
        roll = self.rng.random()
        if roll < 0.5:
            return 1
        if roll < 0.72:
            return 2
        if roll < 0.84:
            return 3
        return self.rng.randint(4, 10)

    def generate(self, n_records: int) -> list[dict[str, str]]:
        """`n_records` records in random order, each with `record_id` and the truth `true_id`."""
        people = self.identities(max(1, int(n_records / 2.3)))
        out: list[dict[str, str]] = []
        i = 0
        while len(out) < n_records:
            ident = people[i % len(people)]
            i += 1
            out.extend(self.record(ident, v) for v in range(self.records_per_identity()))
            if i >= len(people):
                people = self.identities(max(1, (n_records - len(out)) // 2))
                i = 0
        out = out[:n_records]
        self.rng.shuffle(out)
        for n, rec in enumerate(out, 1):
            rec["record_id"] = f"R{n:07d}"
        return out


FIELDS = ("record_id", "given_name", "surname", "date_of_birth", "postcode", "sex", "true_id")


def write_csv(records: list[dict[str, str]], path: Path, *, with_truth: bool = True) -> None:
    fields = FIELDS if with_truth else FIELDS[:-1]
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(records)


def true_pairs(records: list[dict[str, str]]) -> Iterator[tuple[str, str]]:
    groups: dict[str, list[str]] = {}
    for r in records:
        groups.setdefault(r["true_id"], []).append(r["record_id"])
    for ids in groups.values():
        ids.sort()
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                yield ids[a], ids[b]
