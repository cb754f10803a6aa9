"""django-csp's middleware, with looser directives for a few library pages by path.

settings.CONTENT_SECURITY_POLICY is the site's policy. settings.CSP_REPLACE_BY_PATH maps
a path prefix to directives that replace the site's there: Swagger UI and Redoc
(drf-spectacular) start with an inline script, which our own pages never do. A view's
own @csp_replace still wins.
"""

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from django.conf import settings


class CSPMiddleware(BaseCSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        for prefix, directives in getattr(settings, "CSP_REPLACE_BY_PATH", {}).items():
            if request.path_info.startswith(prefix):
                parts.replace = {**directives, **(parts.replace or {})}
                break
        return parts
