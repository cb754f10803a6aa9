import logging

from redis.exceptions import RedisError
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle

log = logging.getLogger(__name__)


class ScopedThrottle(ScopedRateThrottle):
    """ScopedRateThrottle with the rates read at request time from
    REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]: DRF binds them when it is imported,
    so a changed setting (an override in a test, say) would otherwise never show.
    A scope's rate of None turns its throttling off.

    The counts live in the cache, Redis in production. A limit that cannot be
    counted lets the request through: Redis down must not fail bookings that the
    database and the outbox can take."""

    def get_rate(self):
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        return super().get_rate()

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except RedisError as error:
            log.warning("rate limit %s not checked, the cache is unreachable: %s", self.scope, error)
            return True
