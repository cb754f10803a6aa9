"""One view per operation: parse with an input serializer, call a bookings service or
selector, render an output serializer. Errors are raised, never built here: the
handler in errors.py renders them."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from rest_framework import generics, parsers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings import selectors, staff
from bookings.models import Booking
from bookings.services import booking_cancel, booking_create

from . import schema
from .errors import InvalidCredentials
from .idempotency import idempotent
from .parsers import JSONParser
from .permissions import IsStaff, booking_token
from .serializers import (
    BOOKING_FIELD_PATHS,
    BookingCreatedOutputSerializer,
    BookingCreateInputSerializer,
    BookingFilterSerializer,
    BookingOutputSerializer,
    ServiceOutputSerializer,
    SlotsOutputSerializer,
    SlotsQuerySerializer,
    TokenInputSerializer,
    TokenOutputSerializer,
    booking_create_kwargs,
)
from .throttles import ScopedThrottle


def get_booking(request, pk: int, *, lock: bool = False) -> Booking:
    """The booking if the request may see it: a booking that is not yours is not found."""
    booking = selectors.booking_get_for(
        booking_id=pk, user=request.user, access_token=booking_token(request), lock=lock
    )
    if booking is None:
        raise NotFound()
    return booking


def staff_move(request, pk: int, move_name: str, *, note: str) -> Booking:
    """A staff move on the booking `pk`, read once, under its row lock: the rules are
    checked on the booking as it is moved, and it is not read again to be locked."""
    with transaction.atomic():
        return staff.perform(request.user, get_booking(request, pk, lock=True), move_name, note=note, locked=True)


class ServiceListApi(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = ServiceOutputSerializer

    @schema.service_list
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.service_list()


class ServiceSlotsApi(APIView):
    permission_classes = [AllowAny]

    @schema.service_slots
    def get(self, request, slug: str):
        service = selectors.service_get(slug=slug)
        if service is None:
            raise NotFound()
        query = SlotsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data["date"]
        slots = selectors.day_free_slots(service, day)
        data = {"service": service.slug, "date": day, "time_zone": settings.TIME_ZONE, "slots": slots}
        return Response(SlotsOutputSerializer(data).data)


class BookingListCreateApi(generics.ListAPIView):
    """GET lists the bookings the user may see; POST books (no online payment)."""

    serializer_class = BookingOutputSerializer
    throttle_scope = "booking_create"
    service_field_paths = BOOKING_FIELD_PATHS

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_throttles(self):
        return [ScopedThrottle()] if self.request.method == "POST" else []

    def get_queryset(self):
        filters = BookingFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.booking_list(user=self.request.user, **filters.validated_data)

    @schema.booking_list
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @schema.booking_create
    def post(self, request):
        return idempotent(request, scope="bookings.create", operation=lambda: self.create(request))

    def create(self, request) -> Response:
        serializer = BookingCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        booking = booking_create(**booking_create_kwargs(serializer.validated_data), user=request.user)
        return Response(BookingCreatedOutputSerializer(booking).data, status=status.HTTP_201_CREATED)


class BookingDetailApi(APIView):
    permission_classes = [AllowAny]  # the owner, the holder of its token or staff: see get_booking

    @schema.booking_detail
    def get(self, request, pk: int):
        return Response(BookingOutputSerializer(get_booking(request, pk)).data)


class BookingCancelApi(APIView):
    permission_classes = [AllowAny]  # the owner, the holder of its token or staff: see get_booking

    @schema.booking_cancel
    def post(self, request, pk: int):
        if request.user.is_staff:
            booking = staff_move(request, pk, "cancel", note="Cancelled by staff (API)")
        else:
            booking = booking_cancel(
                get_booking(request, pk), actor=request.user, by_staff=False, note="Cancelled (API)"
            )
        return Response(BookingOutputSerializer(booking).data)


class BookingConfirmApi(APIView):
    permission_classes = [IsStaff]

    @schema.booking_confirm
    def put(self, request, pk: int):
        booking = staff_move(request, pk, "confirm", note="Confirmed (API)")
        return Response(BookingOutputSerializer(booking).data)


class BookingCompleteApi(APIView):
    permission_classes = [IsStaff]

    @schema.booking_complete
    def put(self, request, pk: int):
        booking = staff_move(request, pk, "complete", note="Completed (API)")
        return Response(BookingOutputSerializer(booking).data)


class TokenObtainApi(APIView):
    """DRF's token for a username and password (what ObtainAuthToken does), with our errors."""

    authentication_classes = []  # a stale token header must not stop a login
    permission_classes = [AllowAny]
    parser_classes = [JSONParser, parsers.FormParser, parsers.MultiPartParser]  # as ObtainAuthToken takes
    throttle_classes = [ScopedThrottle]
    throttle_scope = "auth_token"

    @schema.auth_token
    def post(self, request):
        serializer = TokenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request=request, **serializer.validated_data)
        if user is None:
            raise InvalidCredentials()
        token, _ = Token.objects.get_or_create(user=user)
        return Response(TokenOutputSerializer({"token": token.key}).data)
