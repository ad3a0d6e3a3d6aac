"""The columns of the crime-reports format (docs/data-formats.md), with no Django import, so the
sample-file writer can use them outside a configured project."""

REPORT_COLUMNS = (
    "reference",
    "offence_code",
    "reported_at",
    "occurred_from",
    "occurred_to",
    "status",
    "officer",
    "team",
    "behaviours",
    "sdash",
    "summary",
)
PARTY_COLUMNS = (
    "party_role",
    "given_name",
    "middle_names",
    "surname",
    "date_of_birth",
    "sex",
    "relationship_to_victim",
    "pnc_id",
    "cro_number",
    "local_id",
    "home_address",
    "home_postcode",
    "workplace",
    "phone",
    "email",
)
REQUIRED = (
    "reference",
    "offence_code",
    "reported_at",
    "occurred_from",
    "party_role",
    "given_name",
    "surname",
)
OPTIONAL = tuple(c for c in (*REPORT_COLUMNS, *PARTY_COLUMNS) if c not in REQUIRED)
# Columns whose values are protected: never repeated in a message, a preview or a log.
PROTECTED_COLUMNS = frozenset({"home_address", "home_postcode", "workplace", "phone", "email"})
