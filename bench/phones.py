"""How the bench marks a booking with the run that made it: in its phone number,
+9198 RR NNNNNN (run RR, its n-th booking), so that each run's bookings and their
messages can be told apart in the database and in the sandbox. Used by the load
generator (bench/load.py) and the database helper (bench/dbtasks.py)."""

BENCH = "+9198"


def run_prefix(run: int) -> str:
    """The start of the phone numbers of run `run`'s bookings."""
    return f"{BENCH}{run:02d}"


def phone(run: int, n: int) -> str:
    return f"{run_prefix(run)}{n:06d}"


def run_of(number: str) -> int | None:
    """The run that made a booking with this phone number; None if not the bench's."""
    return int(number[len(BENCH) : len(BENCH) + 2]) if number.startswith(BENCH) else None
