from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """?page=N (from 1) and ?page_size=N (at most 100); REST_FRAMEWORK["PAGE_SIZE"] by default.
    A page past the last is a 404."""

    page_size_query_param = "page_size"
    max_page_size = 100
