"""Built-in lists of UK given names, nicknames and surnames for the synthetic demo population.

Written for Safeguard (no Faker). The lists are ordered roughly by how common each name is in
England, and `weights()` gives earlier names more weight (a Zipf-like curve), so common names such
as "James Smith" occur several times for different people: the hard negatives that record linkage
must not merge.
"""

from __future__ import annotations

# fmt: off
MALE_GIVEN: tuple[str, ...] = (
    "James", "John", "David", "Michael", "Daniel", "Thomas", "Christopher", "Matthew",
    "Andrew", "Paul", "Mark", "Richard", "Robert", "William", "Steven", "Jack", "Joseph",
    "Ryan", "Adam", "Lee", "Ben", "Benjamin", "Samuel", "Luke", "Jamie", "Liam", "Craig",
    "Anthony", "Peter", "Stephen", "Simon", "Jonathan", "Nicholas", "Alexander", "Gary",
    "Kevin", "Ian", "Martin", "Jason", "Dean", "Wayne", "Carl", "Shaun", "Darren", "Scott",
    "Aaron", "Callum", "Connor", "Kieran", "Harry", "George", "Oliver", "Charlie", "Alfie",
    "Joshua", "Nathan", "Edward", "Charles", "Henry", "Kenneth", "Ronald", "Timothy",
    "Patrick", "Gregory", "Lawrence", "Philip", "Graham", "Neil", "Keith", "Trevor", "Barry",
    "Terry", "Stuart", "Russell", "Marcus", "Reece", "Tyler", "Jordan", "Bradley", "Kyle",
)

FEMALE_GIVEN: tuple[str, ...] = (
    "Sarah", "Emma", "Laura", "Rebecca", "Claire", "Nicola", "Lisa", "Gemma", "Amy",
    "Hannah", "Charlotte", "Emily", "Jessica", "Sophie", "Lauren", "Katie", "Rachel",
    "Jennifer", "Victoria", "Elizabeth", "Samantha", "Kelly", "Joanne", "Michelle",
    "Helen", "Louise", "Stephanie", "Natalie", "Amanda", "Deborah", "Susan", "Karen",
    "Julie", "Tracey", "Donna", "Dawn", "Jacqueline", "Christine", "Margaret", "Patricia",
    "Catherine", "Katherine", "Abigail", "Eleanor", "Natasha", "Chloe", "Megan", "Olivia",
    "Grace", "Holly", "Jade", "Zoe", "Kirsty", "Danielle", "Leanne", "Kimberley", "Alexandra",
    "Lucy", "Ellie", "Amelia", "Isabelle", "Molly", "Ruby", "Paige", "Shannon", "Bethany",
    "Jodie", "Hayley", "Carly", "Stacey", "Toni", "Vicky", "Fiona", "Alison", "Jane",
)

# East European and Portuguese given names: Norfolk (Thetford, King's Lynn, Great Yarmouth) has
# sizeable Polish, Lithuanian and Portuguese communities, whose names are often mis-keyed.
MALE_GIVEN_OTHER: tuple[str, ...] = (
    "Piotr", "Tomasz", "Krzysztof", "Marcin", "Jonas", "Tomas", "Mantas", "Joao", "Pedro", "Rui",
)
FEMALE_GIVEN_OTHER: tuple[str, ...] = (
    "Agnieszka", "Katarzyna", "Marta", "Joanna", "Ruta", "Egle", "Ana", "Maria", "Sofia", "Ines",
)

# Given name -> the other forms a record may use instead: mostly short forms (Bill for William),
# and the reverse where people go by the short form (Terry recorded as Terence). A recorded
# nickname is one of the commonest reasons two records of one person disagree.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "William": ("Bill", "Will", "Billy", "Liam"),
    "Robert": ("Bob", "Rob", "Bobby"),
    "Richard": ("Rick", "Rich", "Dick"),
    "James": ("Jim", "Jamie", "Jimmy"),
    "John": ("Jack", "Johnny", "Jon"),
    "Thomas": ("Tom", "Tommy"),
    "Michael": ("Mike", "Mick", "Mikey"),
    "Christopher": ("Chris", "Kit"),
    "Anthony": ("Tony", "Ant"),
    "Daniel": ("Dan", "Danny"),
    "Matthew": ("Matt",),
    "Andrew": ("Andy", "Drew"),
    "Joseph": ("Joe", "Joey"),
    "Edward": ("Ed", "Eddie", "Ted"),
    "Stephen": ("Steve", "Stevie"),
    "Steven": ("Steve", "Stevie"),
    "Jonathan": ("Jon", "Jonny"),
    "Benjamin": ("Ben", "Benny"),
    "Samuel": ("Sam", "Sammy"),
    "Alexander": ("Alex", "Sandy"),
    "Nicholas": ("Nick", "Nicky"),
    "Peter": ("Pete",),
    "David": ("Dave", "Davey"),
    "Kenneth": ("Ken", "Kenny"),
    "Ronald": ("Ron", "Ronnie"),
    "Timothy": ("Tim", "Timmy"),
    "Charles": ("Charlie", "Chas"),
    "Henry": ("Harry", "Hal"),
    "Patrick": ("Pat", "Paddy"),
    "Gregory": ("Greg",),
    "Lawrence": ("Larry", "Laurie"),
    "Philip": ("Phil",),
    "Joshua": ("Josh",),
    "Nathan": ("Nate",),
    "Terry": ("Terence",),
    "Elizabeth": ("Liz", "Beth", "Lizzie", "Betty"),
    "Margaret": ("Maggie", "Peggy", "Meg"),
    "Katherine": ("Kate", "Katie", "Kath"),
    "Catherine": ("Cathy", "Kate", "Cath"),
    "Rebecca": ("Becky", "Becca"),
    "Jennifer": ("Jenny", "Jen"),
    "Victoria": ("Vicky", "Tori"),
    "Samantha": ("Sam", "Sammy"),
    "Alexandra": ("Alex", "Lexi"),
    "Deborah": ("Debbie", "Debs"),
    "Susan": ("Sue", "Susie"),
    "Patricia": ("Pat", "Trish"),
    "Jacqueline": ("Jackie",),
    "Christine": ("Chris", "Chrissie"),
    "Abigail": ("Abbie", "Abi"),
    "Eleanor": ("Ellie", "Nell"),
    "Natasha": ("Tash", "Tasha"),
    "Jessica": ("Jess", "Jessie"),
    "Charlotte": ("Lottie", "Charlie"),
    "Stephanie": ("Steph",),
    "Amanda": ("Mandy",),
    "Kimberley": ("Kim",),
    "Nicola": ("Nicky", "Nic"),
    "Joanne": ("Jo",),
    "Danielle": ("Dani",),
    "Katarzyna": ("Kasia",),
    "Agnieszka": ("Aga",),
    "Tomasz": ("Tomek",),
    "Krzysztof": ("Krzys",),
}

SURNAMES: tuple[str, ...] = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
    "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood",
    "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King",
    "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis",
    "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter",
    "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards",
    "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Wilkinson",
    "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt",
    "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes",
    "Knight", "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins",
    "Murray", "Dixon", "Harvey", "Graham", "Pearson", "Ahmed", "Fletcher", "Walsh", "Kaur",
    "Gibson", "Howard", "Andrews", "Stewart", "Elliott", "Reynolds", "Saunders", "Payne",
    "Fox", "Ford", "Pearce", "Day", "Brooks", "West", "Lawrence", "Cole", "Atkinson",
    # Names common in Norfolk.
    "Howes", "Gotts", "Thrower", "Bales", "Loades", "Futter", "Bunn", "Dye", "Eke",
    "Softley", "Gedge", "Youngs", "Pegg", "Utting", "Cushion", "Kerrison", "Ling", "Rix",
    "Thurston", "Bussey", "Chilvers", "Wegg", "Hewitt", "Sexton", "Mallett", "Mace",
    "Riches", "Gooch", "Tuck", "Larter", "Woodhouse", "Plummer", "Sayer", "Grimes",
)

SURNAMES_OTHER: tuple[str, ...] = (
    "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Kazlauskas",
    "Petrauskas", "Jankauskas", "Silva", "Santos", "Ferreira", "Pereira", "Gonçalves",
)

# Female forms of Polish surnames that have one (a record may use either).
POLISH_FEMININE: dict[str, str] = {
    "Kowalski": "Kowalska",
    "Wiśniewski": "Wiśniewska",
    "Kamiński": "Kamińska",
    "Lewandowski": "Lewandowska",
}

STREETS: tuple[str, ...] = (
    "The Street", "Church Lane", "Station Road", "Mill Road", "High Street", "Church Street",
    "School Lane", "Norwich Road", "Mill Lane", "Chapel Road", "Manor Road", "The Green",
    "Back Lane", "Common Road", "Hall Road", "London Road", "Yarmouth Road", "Cromer Road",
    "Holt Road", "Dereham Road", "Wymondham Road", "Victoria Road", "Queens Road",
    "Kings Road", "Park Lane", "Grove Road", "Oak Avenue", "Beech Drive", "Willow Close",
    "Elm Close", "Rosebery Road", "Unthank Road", "Magdalen Street", "Sprowston Road",
    "Plumstead Road", "Earlham Road", "Bowthorpe Road", "Gaywood Road", "Tennyson Avenue",
    "Southtown Road", "Northgate Street", "Nelson Road", "Marine Parade", "Jubilee Road",
    "Coronation Road", "St Andrews Close", "St Johns Road", "Priory Road", "Abbey Road",
    "Bridge Street", "Market Place", "Vicarage Road", "Rectory Road", "Orchard Way",
    "Meadow Way", "Heath Road", "Field Lane", "Water Lane", "Marsh Road", "Broad Street",
)

HOUSE_NAMES: tuple[str, ...] = (
    "Rose Cottage", "The Old Rectory", "Ivy Cottage", "Mill House", "The Barn",
    "Orchard House", "Meadow View", "The Laurels", "Holly Lodge", "Church Farm Cottage",
)

# Street-type abbreviations: two records of the same address often differ only by these.
STREET_ABBREVIATIONS: dict[str, str] = {
    "Road": "Rd",
    "Street": "St",
    "Lane": "Ln",
    "Avenue": "Ave",
    "Close": "Cl",
    "Drive": "Dr",
}

# fmt: on


def weights(n: int, exponent: float = 0.9) -> list[float]:
    """Zipf-like weights for a list of n names ordered from most to least common."""
    return [1.0 / (rank**exponent) for rank in range(1, n + 1)]
