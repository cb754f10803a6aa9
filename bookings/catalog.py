"""The catalog: every service with its opening hours and closures, kept in each process
for as long as it is current.

Every slot list and every booking reads its service's schedule: three queries and a dozen
model instances, a quarter of a booking's CPU (measured, bench/profile_request.py). A
process keeps one copy of the catalog instead and checks it with one small query: the
stamp that database triggers draw anew on every write to the three tables (migration
0005). A stale copy is never used. Places are still taken in the database, against the
capacity read at the start of the request, as before.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connections, router
from django.utils import timezone

from .models import CatalogVersion, Closure, Service

CACHING_VENDORS = {"postgresql", "sqlite"}  # the databases migration 0005 gives the triggers to


@dataclass(frozen=True)
class KnownClosures:
    """A service's closures (its own and the whole business's) that end on `since` or later."""

    since: date
    spans: tuple[tuple[date, date], ...]

    def closed_on(self, day: date) -> bool | None:
        """Whether `day` is closed; None for a day before what is known."""
        if day < self.since:
            return None
        return any(starts_on <= day <= ends_on for starts_on, ends_on in self.spans)


@dataclass(frozen=True)
class Catalog:
    stamp: int | None
    services: dict[str, Service]  # by slug, inactive ones too, hours prefetched, `known_closures` set


_kept: Catalog | None = None


def service(slug: str) -> Service | None:
    """The service, from the current catalog. Shared by the requests of this process:
    read it, do not change it."""
    return current().services.get(slug)


def current() -> Catalog:
    global _kept
    connection = connections[router.db_for_read(Service)]
    # The stamp first, then the tables: a change committed in between makes the copy
    # look older than it is (one reload too many), never newer.
    stamp = _stamp(connection) if connection.vendor in CACHING_VENDORS else None
    kept = _kept
    if kept is not None and stamp is not None and kept.stamp == stamp:
        return kept
    catalog = _load(stamp)
    if stamp is not None:
        _kept = catalog
    return catalog


def _stamp(connection) -> int | None:
    """None before the first write to the catalog (or after a test flushed the table)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT stamp FROM {connection.ops.quote_name(CatalogVersion._meta.db_table)} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def _load(stamp: int | None) -> Catalog:
    services = {service.slug: service for service in Service.objects.prefetch_related("opening_hours")}
    since = timezone.now().date() - timedelta(days=1)  # on or before today in any time zone
    closures = list(Closure.objects.filter(ends_on__gte=since).values_list("service_id", "starts_on", "ends_on"))
    for service in services.values():
        spans = tuple((starts_on, ends_on) for owner, starts_on, ends_on in closures if owner in (None, service.pk))
        service.known_closures = KnownClosures(since, spans)
    return Catalog(stamp, services)
