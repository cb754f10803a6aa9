# The notification outbox arrives with the notifications issue (see DESIGN.md).
