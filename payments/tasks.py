"""django-q2 task entry points. Each takes ids, never objects, and calls one service."""

from bookings.services import expire_lapsed_holds

from . import refunds, services


def send_refund(refund_id: int) -> None:
    refunds.refund_send(refund_id)


def sweep_refunds() -> int:
    return refunds.sweep()


def expire_holds() -> int:
    """Unpaid bookings whose hold lapsed become expired and free their place."""
    return expire_lapsed_holds()


def reconcile_payments() -> int:
    return services.reconcile()
