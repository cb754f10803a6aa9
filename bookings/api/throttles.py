from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle


class ScopedThrottle(ScopedRateThrottle):
    """ScopedRateThrottle with the rates read at request time from
    REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]: DRF binds them when it is imported,
    so a changed setting (an override in a test, say) would otherwise never show.
    A scope's rate of None turns its throttling off."""

    def get_rate(self):
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        return super().get_rate()
