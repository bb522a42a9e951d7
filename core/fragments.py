"""Per-person fragments: the body of a signed-in person's busiest pages, rendered once and
kept in the cache until the data it shows changes.

A job seeker reloads their dashboard all day while a selection runs; an employer theirs
while applications come in. The body of those pages (everything but the frame, the
messages and the welfare notices) is the same until something it shows changes, so it is
stored per owner ("user:<id>", "employer:<id>") and language, with the versions of what
it depends on:
- the owner's own version;
- the subjects the body found while it was built (`Fragment.depend_on("cohort:7")`: the
  intakes a job seeker applied to, whose reserve list and training days others change);
- public data versions of `core.cache` ("catalogue", "vacancies").

`fragment_get_or_build(request, name, owner, build, depends_on=...)` returns the stored
HTML when every one of those versions is the one it was stored with (one cache round
trip, two when the body has subjects; no query), else calls `build(fragment)` and stores
what it returns.

`fragment_bump(*keys)` (after the transaction commits) makes stale every stored fragment
that depends on those owners or subjects; `fragment_bump_later(resolve)` when finding them
needs a query, which then runs only once the write is kept (`fragment_bump_later_for`:
one query for all the rows of a kind a transaction wrote). The apps call them from
`post_save`/`post_delete` receivers on the models their fragments show
(`<app>/fragments.py`, connected in `ready()`) and from the few writes that send no
signal (bulk inserts). Versions are read before the body is built, so a write committed
meanwhile always leaves the stored body stale, never current.

- CSRF tokens are never stored: the body is rendered with a placeholder that each
  response replaces with that request's token (its forms keep working after the token
  rotates at log-in).
- The key holds the day (what can still be withdrawn) and the static manifest's hash;
  `PERSON_FRAGMENT_TIMEOUT` (seconds, default 60) bounds what the clock alone can change
  (a confirmation deadline passing at noon). 0 turns the cache off (the unit tests' default:
  their transactions never commit, so no bump would run).
- Redis away: each process keeps its own fragments (the local fallback of
  `core.redis_cache`) and a write bumps only the writing process's copy, so another
  process may show a body up to the timeout old until Redis is back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from .cache import _version_key

# Rendered in place of the CSRF token; replaced per response (never in a stored body).
CSRF_PLACEHOLDER = "csrf-token-placeholder-6f1c2a9e"


class Fragment:
    """Handed to `build`: the body says which subjects it showed."""

    def __init__(self) -> None:
        self.subjects: list[str] = []
        # A few strings the page shows outside the body (its title), kept with it.
        self.extra: dict[str, str] = {}

    def depend_on(self, *subjects: str) -> None:
        self.subjects.extend(s for s in subjects if s and s not in self.subjects)


def user_owner(user_id: int | None) -> str:
    return f"user:{user_id}" if user_id else ""


def employer_owner(employer_id: int | None) -> str:
    return f"employer:{employer_id}" if employer_id else ""


def cohort_subject(cohort_id: int | None) -> str:
    return f"cohort:{cohort_id}" if cohort_id else ""


def _key_of(owner_or_subject: str) -> str:
    return f"{settings.PUBLIC_PAGE_CACHE_PREFIX}-fragment-version:{owner_or_subject}"


def _fragment_key(name: str, owner: str, variant: str) -> str:
    variant = hashlib.sha1(variant.encode(), usedforsecurity=False).hexdigest()[:16]
    release = getattr(staticfiles_storage, "manifest_hash", "")
    language = translation.get_language() or settings.LANGUAGE_CODE
    day = timezone.localdate().isoformat()
    return (
        f"{settings.PUBLIC_PAGE_CACHE_PREFIX}-fragment{release}:{name}:{owner}:{language}:"
        f"{day}:{variant}"
    )


def fragment_bump(*keys: str) -> None:
    """Make stale, once the transaction commits, every fragment depending on these."""
    keys = tuple(dict.fromkeys(k for k in keys if k))
    if keys:
        transaction.on_commit(lambda: _bump_now(keys))


def fragment_bump_later(resolve: Callable[[], Iterable[str]]) -> None:
    """`fragment_bump(*resolve())` once the transaction commits: a receiver that must
    query to find the owners (an attendance mark's person) queries only then."""
    transaction.on_commit(lambda: _bump_now(resolve()))


def fragment_bump_later_for(resolve_many: Callable[[set], Iterable[str]], item) -> None:
    """`fragment_bump_later` for rows a transaction writes many of (a register's lines, a
    day's attendance): the items gathered until the commit are resolved by one call of
    `resolve_many(items)` (one query), whatever their number.

    The items wait on the connection (one per thread). Each call registers its own
    commit hook; the first to run after the commit takes every item gathered, the others
    find none. Items of a rolled-back savepoint are resolved too: a bump too many only
    makes a body be built once more.
    """
    connection = transaction.get_connection()
    pending = connection.__dict__.setdefault("fragment_pending", {})
    pending.setdefault(resolve_many, set()).add(item)

    def drain():
        items = pending.pop(resolve_many, None)
        if items:
            _bump_now(resolve_many(items))

    transaction.on_commit(drain)


def fragment_receivers_connect(receivers: Iterable[tuple[type, Callable]]) -> None:
    """Connect each (model, receiver) to the model's `post_save` and `post_delete`: what an
    app's `<app>/fragments.py` declares makes its pages' bodies stale."""
    for model, receiver in receivers:
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, dispatch_uid=f"fragments:{model.__name__}")


def _bump_now(keys: Iterable[str]) -> None:
    for key in dict.fromkeys(k for k in keys if k):
        try:
            cache.incr(_key_of(key))
        except ValueError:  # no version yet: any value differs from "missing"
            cache.set(_key_of(key), 1, timeout=None)


def page_token(request) -> str:
    """This response's CSRF token, masked once per request and secret.

    `get_token()` masks the secret anew at each call (32 random characters, a system call
    each); the frame and each cached body of a page asked for one, a tenth of a millisecond
    apiece. One masked token serves a whole response; a secret rotated meanwhile (log-in)
    gets a token of its own.
    """
    memo = getattr(request, "_page_csrf_token", None)
    if memo is None or memo[0] != request.META.get("CSRF_COOKIE"):
        token = get_token(request)  # sets the secret when the request had none
        memo = request._page_csrf_token = (request.META["CSRF_COOKIE"], token)
    return memo[1]


def _with_token(request, html: str) -> SafeString:
    # The body was rendered by our own templates (autoescaped); only the token goes in.
    return mark_safe(html.replace(CSRF_PLACEHOLDER, page_token(request)))  # noqa: S308


def fragment_get_or_build(request, name: str, owner: str, build, **options) -> SafeString:
    """The body `name` of `owner` (see the module doc and `fragment_get_or_build_with_extra`
    for `build` and the options)."""
    return fragment_get_or_build_with_extra(request, name, owner, build, **options)[0]


def fragment_get_or_build_with_extra(
    request,
    name: str,
    owner: str,
    build: Callable[[Fragment], str],
    *,
    depends_on: tuple[str, ...] = (),
    variant: str = "",
) -> tuple[SafeString, dict[str, str]]:
    """The body `name` of `owner` and what `build` put in `fragment.extra` (the page's
    title), stored together. `build(fragment)` renders the body with `csrf_token` set to
    `CSRF_PLACEHOLDER`; `variant`: anything else the body depends on (the query string of
    a paginated list). A page whose queries all run in `build` needs none while the body
    is current."""
    timeout = settings.PERSON_FRAGMENT_TIMEOUT
    if not timeout:
        fragment = Fragment()
        html = build(fragment)
        return _with_token(request, html), fragment.extra
    key = _fragment_key(name, owner, variant)
    fixed = [_key_of(owner), *(_version_key(n) for n in depends_on)]
    found = cache.get_many([key, *fixed])
    versions = [found.get(k, 0) for k in fixed]
    entry = found.get(key)
    before: dict = {}
    fetched: set[str] = set()
    if entry is not None:
        # The stored body's subjects, read before any new build (see below).
        fetched = {_key_of(s) for s in entry["subjects"]}
        before = cache.get_many(list(fetched)) if fetched else {}
        stored = dict(zip(entry["subjects"], entry["subject_versions"], strict=True))
        if entry["versions"] == versions and all(
            before.get(_key_of(s), 0) == v for s, v in stored.items()
        ):
            return _with_token(request, entry["html"]), entry.get("extra", {})
    fragment = Fragment()
    html = build(fragment)
    # Versions must be read before the data they guard: those of the subjects the last
    # body had were; a subject new to this body is read now, after its queries (a write
    # to it committed in between can leave this body stale for at most the timeout).
    new = [_key_of(s) for s in fragment.subjects if _key_of(s) not in fetched]
    if new:
        before = {**before, **cache.get_many(new)}
    cache.set(
        key,
        {
            "versions": versions,
            "subjects": fragment.subjects,
            "subject_versions": [before.get(_key_of(s), 0) for s in fragment.subjects],
            "html": html,
            "extra": fragment.extra,
        },
        timeout=timeout,
    )
    return _with_token(request, html), fragment.extra
