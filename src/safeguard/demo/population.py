"""The synthetic people behind the demo reports, and how each report records them.

An `Identity` is one human being, with the true name, date of birth and address. Each report
records each of its people afresh, as a force's records system does, so one identity becomes
many `people.Person` rows, each written down a little differently (`record()`): typing errors,
nicknames (Bill for William), initials, first and last names swapped, double-barrelled or
changed surnames, day and month of birth swapped, birth year off by one, a missing date of birth,
an old, mistyped or missing postcode, names in upper case.

Hard negatives are built in as well (`Population.add_namesakes`, `add_father_and_son`,
`add_twins`): different people who share a common name, a father and son with the same name at
one address, and twins (same surname, birthday and address).

Ground truth: every Person row carries an `Identifier` with scheme "local" and the value
"DEMO-<identity number>" (GROUND_TRUTH_PREFIX). Rows with the same value are the same human;
rows with different values are different people, however alike. A linkage or screening
evaluation reads the truth from there, and must ignore identifiers with that prefix as a
matching feature.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from itertools import accumulate

from safeguard.demo import names
from safeguard.demo.geography import District, ForceGeography, postcode

GROUND_TRUTH_PREFIX = "DEMO-"


def ground_truth_value(identity_id: int) -> str:
    return f"{GROUND_TRUTH_PREFIX}{identity_id:06d}"


@dataclass(frozen=True, slots=True)
class Address:
    house: str  # "12" or a house name
    street: str
    town: str
    postcode: str
    district: District

    def line(self, *, abbreviate: bool = False, with_postcode: bool = True) -> str:
        street = self.street
        if abbreviate:
            head, _, last = street.rpartition(" ")
            if last in names.STREET_ABBREVIATIONS and head:
                street = f"{head} {names.STREET_ABBREVIATIONS[last]}"
        first = f"{self.house} {street}" if self.house[0].isdigit() else f"{self.house}, {street}"
        parts = [first, self.town]
        if with_postcode and self.postcode:
            parts.append(self.postcode)
        return ", ".join(parts)


@dataclass(slots=True)
class Identity:
    id: int
    sex: str  # "F" or "M"
    given: str
    middle: str
    surname: str
    dob: dt.date
    address: Address
    previous_surname: str = ""  # a surname used before (marriage, divorce)
    previous_address: Address | None = None
    moved_on: dt.date | None = None  # records before this day give previous_address
    pnc: str = ""  # a PNC ID, for people with a criminal record
    phone: str = ""
    risk: float = 0.3  # latent risk, 0..1: drives S-DASH answers of reports against them
    nickname: str = ""  # the short form this person goes by, if any
    records: int = field(default=0)  # how many Person rows have been written for them
    first_record: tuple = ()  # (given, surname, date of birth) as first recorded

    def address_on(self, day: dt.date) -> Address:
        if self.previous_address is not None and self.moved_on and day < self.moved_on:
            return self.previous_address
        return self.address


@dataclass(frozen=True, slots=True)
class RecordedPerson:
    """One Person row as a report records it, with its protected details and aliases."""

    identity_id: int
    given_name: str
    middle_names: str
    surname: str
    date_of_birth: dt.date | None
    sex: str
    address: str
    postcode: str
    phone: str
    aliases: tuple[tuple[str, str, str], ...]  # (kind, given, surname)
    pnc: str


_KEYBOARD_NEIGHBOURS = {
    "a": "sqw", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj",
    "i": "uo", "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o",
    "q": "w", "r": "et", "s": "ad", "t": "ry", "u": "yi", "v": "cb", "w": "qe", "x": "zc",
    "y": "tu", "z": "x",
}  # fmt: skip


def ascii_fold(text: str) -> str:
    """'Wiśniewski' -> 'Wisniewski': how many systems and officers key accented names."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def typo(rng: random.Random, word: str) -> str:
    """One keying error: swapped, dropped, doubled or neighbouring letter."""
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word) - 1)  # the first letter is usually right
    kind = rng.randrange(4)
    if kind == 0:  # transposition
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:  # omission
        return word[:i] + word[i + 1 :]
    if kind == 2:  # doubling
        return word[:i] + word[i] + word[i:]
    neighbours = _KEYBOARD_NEIGHBOURS.get(word[i].lower(), "")
    if not neighbours:
        return word[:i] + word[i + 1 :]
    return word[:i] + rng.choice(neighbours) + word[i + 1 :]


def changed_typo(rng: random.Random, word: str) -> str:
    """A typo that really changes the word (swapping two equal letters would not)."""
    for _ in range(8):
        result = typo(rng, word)
        if result != word:
            return result
    return word + word[-1]


def _shift_dob(rng: random.Random, dob: dt.date) -> dt.date | None:
    """A recorded date of birth that is wrong in one of the usual ways, or None."""
    roll = rng.random()
    if roll < 0.35 and dob.day <= 12 and dob.day != dob.month:
        return dt.date(dob.year, dob.day, dob.month)  # day and month swapped (US order)
    if roll < 0.7:
        try:
            return dob.replace(year=dob.year + rng.choice((-1, 1)))  # year off by one
        except ValueError:  # 29 February
            return dob.replace(year=dob.year + 1, day=28)
    if roll < 0.85:
        try:
            return dob.replace(day=dob.day + rng.choice((-1, 1)))  # day mis-keyed
        except ValueError:
            return dob.replace(day=1)
    return dt.date(dob.year, 1, 1)  # estimated: 1 January of the year


class Population:
    """Makes identities, deterministically from one random.Random."""

    def __init__(self, rng: random.Random, geography: ForceGeography, today: dt.date) -> None:
        self.rng = rng
        self.geography = geography
        self.today = today
        self.identities: list[Identity] = []
        self._male = list(names.MALE_GIVEN)
        self._female = list(names.FEMALE_GIVEN)
        # Cumulative weights, summed once: random.choices would otherwise sum the weights at
        # every draw (a third of the planning time at a million reports). The draws are the same.
        self._male_w = list(accumulate(names.weights(len(self._male))))
        self._female_w = list(accumulate(names.weights(len(self._female))))
        self._surnames = list(names.SURNAMES)
        self._surnames_w = list(accumulate(names.weights(len(self._surnames), 0.8)))
        self._districts = list(geography.districts)
        self._district_w = list(accumulate(geography.district_weights()))

    # --- Drawing attributes -------------------------------------------------------------------

    def _given(self, sex: str, other: bool) -> str:
        rng = self.rng
        if other:
            return rng.choice(names.FEMALE_GIVEN_OTHER if sex == "F" else names.MALE_GIVEN_OTHER)
        if sex == "F":
            return rng.choices(self._female, cum_weights=self._female_w)[0]
        return rng.choices(self._male, cum_weights=self._male_w)[0]

    def _surname(self, sex: str, other: bool) -> str:
        rng = self.rng
        if other:
            surname = rng.choice(names.SURNAMES_OTHER)
            if sex == "F":
                surname = names.POLISH_FEMININE.get(surname, surname)
            return surname
        surname = rng.choices(self._surnames, cum_weights=self._surnames_w)[0]
        if rng.random() < 0.03:  # double-barrelled
            second = rng.choices(self._surnames, cum_weights=self._surnames_w)[0]
            if second != surname:
                surname = f"{surname}-{second}"
        return surname

    def address(self, district: District | None = None) -> Address:
        rng = self.rng
        district = district or rng.choices(self._districts, cum_weights=self._district_w)[0]
        if rng.random() < 0.06:
            house = rng.choice(names.HOUSE_NAMES)
        else:
            house = str(rng.randint(1, 180))
            if rng.random() < 0.05:
                house += rng.choice("AB")
        if rng.random() < 0.08:  # flats
            house = f"Flat {rng.randint(1, 12)}, {rng.randint(1, 90)}"
        return Address(
            house, rng.choice(names.STREETS), district.town, postcode(rng, district), district
        )

    def _dob(self, min_age: int, max_age: int) -> dt.date:
        age_days = self.rng.randint(min_age * 365 + 1, max_age * 365 + 300)
        return self.today - dt.timedelta(days=age_days)

    def _phone(self) -> str:
        # Ofcom's range for drama and examples (07700 900000 to 900999): never a real number.
        return f"07700 900{self.rng.randint(0, 999):03d}"

    def _pnc(self, dob: dt.date) -> str:
        # Synthetic, in the PNC ID layout (year/serial + check letter); not a valid check letter.
        year = (dob.year + 18 + self.rng.randint(0, 10)) % 100
        return f"{year:02d}/{self.rng.randint(1, 999999):07d}{self.rng.choice('ABCDEFGHJKLMNPRTUVWXYZ')}"

    # --- Making identities --------------------------------------------------------------------

    def new(
        self,
        *,
        sex: str | None = None,
        role: str = "victim",
        given: str | None = None,
        surname: str | None = None,
        dob: dt.date | None = None,
        address: Address | None = None,
        near: District | None = None,
    ) -> Identity:
        rng = self.rng
        if sex is None:
            # Suspects are mostly men, victims mostly women (CSEW: about 70% of stalking victims
            # are women; DOMAIN.md 6.3).
            p_female = 0.72 if role == "victim" else 0.18
            sex = "F" if rng.random() < p_female else "M"
        other = rng.random() < 0.05
        given = given or self._given(sex, other)
        middle = self._given(sex, other) if rng.random() < 0.55 else ""
        if middle == given:
            middle = ""
        surname = surname or self._surname(sex, other)
        if dob is None:
            dob = self._dob(18, 68) if role == "suspect" else self._dob(16, 75)
        if address is None:
            district = near if near is not None and rng.random() < 0.7 else None
            address = self.address(district)
        identity = Identity(
            id=len(self.identities) + 1,
            sex=sex,
            given=given,
            middle=middle,
            surname=surname,
            dob=dob,
            address=address,
        )
        if sex == "F" and rng.random() < 0.12:
            identity.previous_surname = self._surname(sex, other)
        if rng.random() < 0.2:
            identity.previous_address = self.address()
            identity.moved_on = self.today - dt.timedelta(days=rng.randint(30, 500))
        if role == "suspect":
            identity.pnc = self._pnc(dob) if rng.random() < 0.35 else ""
            identity.risk = min(1.0, max(0.0, rng.gauss(0.35, 0.18)))
        if rng.random() < 0.4:
            identity.phone = self._phone()
        if given in names.NICKNAMES and rng.random() < 0.3:
            identity.nickname = rng.choice(names.NICKNAMES[given])
        self.identities.append(identity)
        return identity

    def add_namesakes(self, count: int, role: str = "suspect") -> list[Identity]:
        """Different people who share a common given name and surname (e.g. three James Smiths)."""
        made = []
        for _ in range(count):
            sex = "M" if self.rng.random() < 0.8 else "F"
            given = (self._male if sex == "M" else self._female)[self.rng.randrange(8)]
            surname = self._surnames[self.rng.randrange(10)]
            for _ in range(self.rng.choice((2, 2, 3))):
                made.append(self.new(sex=sex, role=role, given=given, surname=surname))
        return made

    def add_father_and_son(self, count: int) -> list[tuple[Identity, Identity]]:
        """A father and son with the same name living at one address: a hard negative."""
        pairs = []
        for _ in range(count):
            father = self.new(sex="M", role="suspect", dob=self._dob(48, 62))
            son_dob = father.dob + dt.timedelta(days=self.rng.randint(22 * 365, 30 * 365))
            son = self.new(
                sex="M",
                role="suspect",
                given=father.given,
                surname=father.surname,
                dob=son_dob,
                address=father.address,
            )
            son.middle = father.middle if self.rng.random() < 0.5 else son.middle
            son.previous_address, son.moved_on = None, None
            father.previous_address, father.moved_on = None, None
            pairs.append((father, son))
        return pairs

    def add_twins(self, count: int) -> list[tuple[Identity, Identity]]:
        """Twins: same surname, date of birth and address; given names often share an initial."""
        pairs = []
        for _ in range(count):
            first = self.new(role="suspect")
            sex = first.sex if self.rng.random() < 0.6 else ("F" if first.sex == "M" else "M")
            pool = self._female if sex == "F" else self._male
            same_initial = [g for g in pool if g[0] == first.given[0] and g != first.given]
            given = (
                self.rng.choice(same_initial)
                if same_initial and self.rng.random() < 0.6
                else self._given(sex, False)
            )
            if given == first.given:
                given = pool[(pool.index(given) + 1) % len(pool)] if given in pool else "Alex"
            second = self.new(
                sex=sex,
                role="suspect",
                given=given,
                surname=first.surname,
                dob=first.dob,
                address=first.address,
            )
            for twin in (first, second):
                twin.previous_address, twin.moved_on, twin.previous_surname = None, None, ""
            pairs.append((first, second))
        return pairs

    # --- Recording ----------------------------------------------------------------------------

    def record(
        self, identity: Identity, on: dt.date, *, role: str, force_variant: bool = False
    ) -> RecordedPerson:
        """How one report records this identity on day `on`: usually right, often not quite.

        `force_variant` makes at least one field differ from the truth, so an identity with
        several records is never recorded identically every time.
        """
        rng = self.rng
        # The second record of anyone is always a variant, so an identity with several records
        # is never recorded the same way every time (what linkage must cope with).
        force_variant = force_variant or identity.records == 1
        identity.records += 1
        p = 2.5 if force_variant else 1.0  # more errors on a forced variant
        given, middle, surname = identity.given, identity.middle, identity.surname

        roll = rng.random()
        if roll < 0.08 * p and (identity.nickname or identity.given in names.NICKNAMES):
            given = identity.nickname or rng.choice(names.NICKNAMES[identity.given])
        elif roll < 0.12 * p:
            given = given[0]  # initial only
        elif roll < 0.19 * p:
            given = typo(rng, given)
        elif roll < 0.21 * p and middle:
            given, middle = middle, ""  # goes by the middle name

        roll = rng.random()
        if roll < 0.06 * p:
            surname = typo(rng, surname)
        elif roll < 0.10 * p and "-" in surname:
            parts = surname.split("-")
            surname = rng.choice((parts[0], parts[-1], " ".join(parts), "".join(parts)))
        elif roll < 0.13 * p and identity.previous_surname:
            surname = identity.previous_surname
        if surname != ascii_fold(surname) and rng.random() < 0.5:
            surname = ascii_fold(surname)
        if given != ascii_fold(given) and rng.random() < 0.5:
            given = ascii_fold(given)

        if middle and rng.random() < 0.45:
            middle = "" if rng.random() < 0.7 else middle[0]

        if rng.random() < 0.02 * p:
            given, surname = surname, given  # first and last names swapped

        dob: dt.date | None = identity.dob
        roll = rng.random()
        if roll < 0.09:
            dob = None
        elif roll < 0.09 + 0.12 * p:
            dob = _shift_dob(rng, identity.dob)

        address = identity.address_on(on)
        address_text, code = address.line(abbreviate=rng.random() < 0.2), address.postcode
        roll = rng.random()
        if roll < 0.06:
            address_text, code = "", ""  # no fixed abode, or not asked
        elif roll < 0.06 + 0.08 * p:
            address_text, code = address.line(with_postcode=False), ""  # postcode missing
        elif roll < 0.06 + 0.11 * p:
            code = typo(rng, code.replace(" ", "")) if rng.random() < 0.5 else code.replace(" ", "")
            address_text = address.line(with_postcode=False) + (f", {code}" if code else "")

        sex = identity.sex if rng.random() > 0.04 else "U"

        if force_variant and (given, surname) == (identity.given, identity.surname):
            if len(given) >= 3 and rng.random() < 0.5:
                given = changed_typo(rng, given)
            elif len(surname) >= 3:
                surname = changed_typo(rng, surname)
            else:
                given = given.upper() if given != given.upper() else given.lower()

        if rng.random() < 0.08:  # some systems and officers key names in capitals
            given, middle, surname = given.upper(), middle.upper(), surname.upper()

        key = (given, surname, dob)
        if identity.records == 1:
            identity.first_record = key
        elif force_variant and key == identity.first_record:
            # Both records erred the same way: make this one differ all the same.
            if len(given) >= 3:
                given = changed_typo(rng, given)
            else:
                surname = changed_typo(rng, surname)

        aliases: list[tuple[str, str, str]] = []
        if identity.previous_surname and rng.random() < 0.3:
            aliases.append(("previous", identity.given, identity.previous_surname))
        if identity.nickname and rng.random() < 0.2:
            aliases.append(("nickname", identity.nickname, identity.surname))

        return RecordedPerson(
            identity_id=identity.id,
            given_name=given,
            middle_names=middle,
            surname=surname,
            date_of_birth=dob,
            sex=sex,
            address=address_text,
            postcode=code,
            phone=identity.phone if role == "victim" and rng.random() < 0.7 else "",
            aliases=tuple(aliases),
            pnc=identity.pnc if identity.pnc and rng.random() < 0.4 else "",
        )
