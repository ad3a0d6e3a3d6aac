"""Importers: files from records management systems, partners and public data, into Safeguard.

    safeguard import crime-reports FILE --force CODE   Safeguard's crime report CSV/XLSX format
    safeguard import police-uk-street FILE             data.police.uk street-level crime CSV
    safeguard import open-data FILE                    ONS and FOI files (oversight's loader)

Every importer checks every row before writing anything (reports/importers/base.py), then writes
in batches that commit their progress with them, so an interrupted import resumes rather than
leaving half a file; importing the same file twice changes nothing. The browser's upload, preview
and confirm pages (reports/views/imports.py) and the command line (reports/management/commands/
import.py) both go through `runner`.
"""

from safeguard.reports.importers.base import ImportFailed, ImportProblem

__all__ = ["ImportFailed", "ImportProblem"]
