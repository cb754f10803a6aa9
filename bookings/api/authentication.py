from rest_framework import authentication, exceptions


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication that looks up only well-formed keys: a key with
    characters no token has (a NUL byte, say) must be a 401, not a database error."""

    def authenticate_credentials(self, key):
        if not (key.isascii() and key.isalnum() and len(key) <= 40):
            raise exceptions.AuthenticationFailed("Invalid token.")
        return super().authenticate_credentials(key)
