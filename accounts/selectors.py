"""Reading accounts."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.text import smart_split, unescape_string_literal

from .models import User


def search_words(term: str) -> list[str]:
    """The words of a search box, as the Django admin splits them ("quoted words" stay
    one)."""
    words = []
    for bit in smart_split(term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        words.append(bit)
    return words


def user_ids_matching(word: str) -> QuerySet:
    """The accounts whose name, e-mail or mobile number contains `word`, whatever its
    letter case: a subquery the trigram indexes answer on PostgreSQL (migration 0008),
    without a scan of every account."""
    return User.objects.filter(
        Q(full_name__icontains=word) | Q(email__icontains=word) | Q(phone__icontains=word)
    ).values("pk")
