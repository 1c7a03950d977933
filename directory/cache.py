"""The public directory pages are rendered once per version of the directory; any edit starts a new version.

The version lives in the cache (shared by every process when REDIS_URL is set), so an edit in the admin is
seen at once by every worker, and old versions simply expire.
"""

import hashlib

from django.core.cache import cache

VERSION_KEY = "directory:version"
TIMEOUT = 24 * 60 * 60


def version() -> int:
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, 1, None)
        current = cache.get(VERSION_KEY, 1)
    return current


def bump(**kwargs) -> None:
    """Signal receiver: the directory changed."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def cached(name: str, build):
    """`build()` once per directory version; `name` must say everything the result depends on."""
    key = f"directory:{version()}:{hashlib.sha256(name.encode()).hexdigest()[:32]}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value
