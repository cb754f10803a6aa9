"""The sandbox's URLs, mounted at /sandbox/ (the development server) or alone (runsandbox).

Each provider under its own prefix, with the paths its SDK builds after the base URL:
TWILIO_API_BASE = .../sandbox/twilio, RAZORPAY_API_BASE = .../sandbox/razorpay (the SDK
adds /v1), ANYMAIL["POSTMARK_API_URL"] = .../sandbox/postmark/.
"""

from django.urls import path, re_path

from sandbox import api_views, inbox_views, postmark_views, razorpay_checkout, razorpay_views, twilio_views

app_name = "sandbox"

twilio = [
    path(
        "twilio/2010-04-01/Accounts/<str:account_sid>/Messages.json",
        twilio_views.create_message,
        name="twilio-messages",
    ),
    path(
        "twilio/2010-04-01/Accounts/<str:account_sid>/Messages/<str:sid>.json",
        twilio_views.fetch_message,
        name="twilio-message",
    ),
]

razorpay = [
    path("razorpay/v1/orders", razorpay_views.orders, name="razorpay-orders"),
    path("razorpay/v1/orders/<str:order_id>", razorpay_views.order, name="razorpay-order"),
    path("razorpay/v1/orders/<str:order_id>/payments", razorpay_views.order_payments, name="razorpay-order-payments"),
    path("razorpay/v1/payments/<str:payment_id>", razorpay_views.payment, name="razorpay-payment"),
    path("razorpay/v1/payments/<str:payment_id>/refund", razorpay_views.refund, name="razorpay-refund"),
    path("razorpay/v1/payments/<str:payment_id>/refunds", razorpay_views.payment_refunds, name="razorpay-refunds"),
    re_path(r"^razorpay/v1/(?P<path>.*)$", razorpay_views.unknown),
    path("razorpay/checkout.js", razorpay_checkout.checkout_js, name="razorpay-checkout-js"),
    path("razorpay/checkout/<str:order_id>/", razorpay_checkout.checkout_page, name="razorpay-checkout"),
    path("razorpay/checkout/<str:order_id>/pay", razorpay_checkout.pay, name="razorpay-checkout-pay"),
    path("razorpay/checkout/<str:order_id>/fail", razorpay_checkout.fail, name="razorpay-checkout-fail"),
]

postmark = [
    path("postmark/email", postmark_views.send_email, name="postmark-email"),
    path("postmark/email/batch", postmark_views.send_batch, name="postmark-email-batch"),
]

api = [
    path("api/messages/", api_views.messages, name="api-messages"),
    path("api/payments/", api_views.payments, name="api-payments"),
    path("api/webhooks/", api_views.webhooks, name="api-webhooks"),
    path("api/webhooks/<int:pk>/resend", api_views.resend, name="api-webhook-resend"),
    path("api/faults/", api_views.faults_view, name="api-faults"),
    path("api/faults/<str:provider>/", api_views.faults_view, name="api-faults-provider"),
]

urlpatterns = [path("", inbox_views.inbox, name="inbox"), *twilio, *razorpay, *postmark, *api]
