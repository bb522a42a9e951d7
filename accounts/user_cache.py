"""The signed-in person's account row, read from the cache instead of PostgreSQL.

Every signed-in request loads its user (`django.contrib.auth.get_user`): on a page whose
body comes from the per-person cache that query was the only one left and, with the ORM
building it, about a fifth of the request (profiled on `/me/profile/`). Here the row's
field values are kept in the cache under the account's generation:

- a read asks for the generation and the row in one round trip and uses the row only when
  it was stored under the generation read now;
- a miss reads the row from PostgreSQL and stores it under the generation read *before*
  the query, so a change committed in between leaves it stale, never current;
- every save or delete of the account (log-in time, password, role, deactivation,
  erasure) moves the generation on once the transaction commits (`post_save` /
  `post_delete`, connected in `AccountsConfig.ready`); no code changes a `User` with
  `QuerySet.update()`.

The password's hash is not stored: a cached row has it deferred (the few views that check
a password read it from PostgreSQL on use) and carries instead the session hash made from
it, which is what the session check compares and what the session itself already holds.
The key holds a digest of the secret key, so rotating it makes every stored hash unused.
`SESSION_USER_CACHE_TIMEOUT` (seconds, default 300) bounds how long a row lives; 0 turns
the cache off (the unit tests' default, where nothing commits). While Redis is away the
query runs as before: each process's stand-in cache would miss other processes' changes.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .models import User

_FIELDS = tuple(
    field.attname for field in User._meta.concrete_fields if field.attname != "password"
)


def _shape() -> str:
    # A release that changes the fields, or a new secret key (the session hashes are made
    # with it), reads no row stored before.
    text = ",".join(_FIELDS) + settings.SECRET_KEY
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:8]


def _generation_key(user_id) -> str:
    return f"{settings.PUBLIC_PAGE_CACHE_PREFIX}-user-generation:{user_id}"


def _row_key(user_id) -> str:
    return f"{settings.PUBLIC_PAGE_CACHE_PREFIX}-user-row{_shape()}:{user_id}"


def _enabled() -> bool:
    return bool(settings.SESSION_USER_CACHE_TIMEOUT) and not getattr(cache, "is_down", False)


def user_get_cached(user_id) -> User | None:
    """The account `user_id` (None when there is none), from the cache when current."""
    if not _enabled():
        return User._default_manager.filter(pk=user_id).first()
    generation_key, row_key = _generation_key(user_id), _row_key(user_id)
    found = cache.get_many([generation_key, row_key])
    generation = found.get(generation_key, 0)
    entry = found.get(row_key)
    if entry is not None and entry[0] == generation:
        user = User.from_db("default", _FIELDS, entry[1])
        user._cached_session_auth_hash = entry[2]
        return user
    user = User._default_manager.filter(pk=user_id).first()
    if user is not None:
        values = tuple(getattr(user, name) for name in _FIELDS)
        entry = (generation, values, user.get_session_auth_hash())
        cache.set(row_key, entry, timeout=settings.SESSION_USER_CACHE_TIMEOUT)
    return user


def user_cache_bump(user_id) -> None:
    """Make the cached row of `user_id` stale once the transaction commits."""
    if user_id is not None:
        transaction.on_commit(lambda: _bump_now(user_id))


def _bump_now(user_id) -> None:
    key = _generation_key(user_id)
    try:
        cache.incr(key)
    except ValueError:  # no generation yet: any value differs from "missing"
        cache.set(key, 1, timeout=None)


def user_changed(sender, instance, **kwargs) -> None:
    """`post_save` / `post_delete` receiver of `User`."""
    user_cache_bump(instance.pk)
