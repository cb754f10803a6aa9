"""The REST API for the mobile apps (DESIGN.md, "The REST API").

Views parse input with serializers, call bookings.services / bookings.selectors
and render output serializers. Every error leaves through errors.exception_handler
as {"code", "detail", "fields"}. The payment endpoints reuse the booking input
serializer, the idempotency handling and the error handler from here.
"""
