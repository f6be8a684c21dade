"""A made-up residents' list of a few entries (kept, as always, as keyed hashes only)."""

from verification import services
from verification.models import ResidentEntry

# Made-up people. The demo citizen can verify as 홍길동, born 1990-01-01, in Buk-gu.
RESIDENTS = """name,birth_date,district
홍길동,1990-01-01,북구
김광주,1985-05-18,동구
이무등,1978-10-03,서구
박빛고을,2001-04-19,남구
최송정,1995-12-25,광산구
"""


def load() -> int:
    """Imports the demo list unless a list is already there (a real one is never replaced)."""
    if ResidentEntry.objects.exists():
        return ResidentEntry.objects.count()
    return services.residents_import(data=RESIDENTS.encode())
