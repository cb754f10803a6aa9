# Payment and webhook records arrive with the payments issue (see DESIGN.md, "Payments").
