"""Payment errors with stable codes and the HTTP status the API answers them with.

Services raise them; the API's exception handler turns them into JSON errors and the
payment page into messages. Provider failures never reach a customer as the SDK's
exceptions: the gateway turns them into ProviderError, the services into these.
"""

from bookings.errors import DomainError


class PaymentError(DomainError):
    code = "payment_error"
    status_code = 400
    default_detail = "The payment could not be processed."


class PaymentProviderUnavailable(PaymentError):
    code = "payment_provider_unavailable"
    status_code = 502
    default_detail = "The payment provider could not be reached; nothing was booked or charged. Try again shortly."


class InvalidSignature(PaymentError):
    code = "invalid_signature"
    default_detail = "The payment's signature does not match: it was not made by our checkout."


class AmountMismatch(PaymentError):
    code = "amount_mismatch"
    default_detail = "The amount paid does not match the amount of the booking."


class UnknownOrder(PaymentError):
    code = "unknown_order"
    default_detail = "There is no payment order with this id."
