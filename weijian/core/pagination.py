"""Pagination shared by every list page: 50 rows a page, other query parameters kept."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 50


def paginate(request: HttpRequest, rows: Any, *, per_page: int = PAGE_SIZE) -> dict[str, Any]:
    """Context for `includes/pagination.html`: the page and the query string without `page`."""
    page: Page[Any] = Paginator(rows, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "query": query.urlencode()}
