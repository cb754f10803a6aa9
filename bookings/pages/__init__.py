"""The customer's booking pages: server-rendered, calling the booking (and payment) services."""
